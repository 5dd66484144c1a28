export { assert, InvariantError, unreachable } from './assert.ts';
export { DeviceClock } from './device-clock.ts';
export { DeviceTimers, type TimerHandle } from './device-timers.ts';
export type { ScheduledEvent } from './event-queue.ts';
export { Fence } from './fence.ts';
export { Kernel, type KernelOptions, type ScheduleOptions } from './kernel.ts';
export type { NodeWorld } from './node-world.ts';
export { RandomStream, RandomStreams } from './random.ts';
export { DeterminismViolation } from './virtual-globals.ts';
