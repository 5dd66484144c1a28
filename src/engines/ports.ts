/**
 * Everything an engine may touch, as types only. An engine imports nothing else of the
 * simulator, so a real app could host it by handing it real ports.
 */
export type { TimerHandle, TimerPort } from '../kernel/device-timers.ts';
export type { ConnectivityPort, ConnectivityState } from '../net/connectivity.ts';
export type { FetchHeaders, FetchInit, FetchPort, FetchResponse } from '../net/fetch-types.ts';
export type { ConnectionType } from '../net/network.ts';
export type { SnapshotRow, TaskValue, TraceEventFields } from '../trace/events.ts';
export type { TraceSink } from '../trace/recorder.ts';
export type { AppEvent, AppLifecyclePort } from '../world/app-lifecycle.ts';
export type { DevicePorts as EnginePorts } from '../world/device-host.ts';
