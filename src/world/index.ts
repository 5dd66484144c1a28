export type { AppProcessState } from './app-lifecycle.ts';
export { DeviceHost, type AppFactory, type DeviceHostOptions } from './device-host.ts';
export { DeviceStorage, StorageSession } from './device-storage.ts';
export { TaskNames } from './task-names.ts';
export { tokenOf, World, type WorldOptions } from './world.ts';
