export { assert, InvariantError, unreachable } from './assert.ts';
export { DeterminismViolation, virtualClock } from './determinism-guard.ts';
export { DeviceClock } from './device-clock.ts';
export { DeviceTimers, type TimerHandle } from './device-timers.ts';
export type { ScheduledEvent } from './event-queue.ts';
export { Fence } from './fence.ts';
export { Kernel, type ScheduleOptions } from './kernel.ts';
export { RandomStream, RandomStreams } from './random.ts';
