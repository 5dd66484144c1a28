export type { AppEvent, AppLifecyclePort, AppState } from './app-lifecycle.ts';
export { DeviceHost, type AppFactory, type DevicePorts } from './device-host.ts';
export { DeviceStorage, StorageSession } from './device-storage.ts';
export { TaskNames } from './task-names.ts';
export { tokenOf, World, type WorldOptions } from './world.ts';
