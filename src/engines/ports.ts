import type { TraceEventFields } from '../trace/events.ts';

/**
 * The ports of SPEC §3.1: everything an engine may touch, declared here, where engines
 * live. The simulator implements them (kernel: timers; net: fetch and connectivity; world:
 * the rest) and `world` checks, by assigning what it builds to `EnginePorts`, that the
 * implementations fit. Nothing here imports the simulator, so a real app could host an
 * engine by handing it real ports. The one import is the trace format's field types.
 */
export interface EnginePorts {
  deviceId: string;
  /** 1 at launch, +1 at each restart after a crash or an OS kill. */
  incarnation: number;
  /** The device clock (ms): skew and drift included, so it may disagree with other devices. */
  clock: ClockPort;
  timers: TimerPort;
  /** The device's disk: survives crashes, loses uncommitted transactions. */
  indexedDB: IDBFactory;
  /** The IndexedDB key range constructor, as the global a browser has. */
  IDBKeyRange: typeof IDBKeyRange;
  /** To the sync server. */
  fetch: FetchPort;
  connectivity: ConnectivityPort;
  app: AppLifecyclePort;
  /** A seeded stream of this device, in [0, 1). */
  random: () => number;
  /** The run's trace; silent once this incarnation is dead. */
  trace: TracePort;
  /** How to reach the sync server: the bearer token of this device's user. */
  server: { token: string };
}

export interface ClockPort {
  now(): number;
}

/** A timer handle, shaped like Node's Timeout so engine code reads the same on a real host. */
export interface TimerHandle {
  /** Keep the run alive while this timer is pending (the default). */
  ref(): TimerHandle;
  /** Do not keep the run alive for this timer (periodic work). */
  unref(): TimerHandle;
  hasRef(): boolean;
}

/** setTimeout and friends, as properties (an engine may pass them around unbound). */
export interface TimerPort {
  setTimeout: (callback: () => void, ms: number) => TimerHandle;
  clearTimeout: (handle: TimerHandle | undefined) => void;
  setInterval: (callback: () => void, ms: number) => TimerHandle;
  clearInterval: (handle: TimerHandle | undefined) => void;
}

/** The slice of the WHATWG fetch API an engine gets: engines written against it run on the real `fetch` too. */
export type FetchPort = (input: string, init?: FetchInit) => Promise<FetchResponse>;

export interface FetchInit {
  method?: string;
  headers?: Record<string, string> | Array<[string, string]> | { forEach(cb: (value: string, key: string) => void): void };
  body?: string | Uint8Array | null;
  signal?: AbortSignal | null;
}

export interface FetchHeaders {
  get(name: string): string | null;
  has(name: string): boolean;
}

export interface FetchResponse {
  readonly status: number;
  readonly ok: boolean;
  readonly headers: FetchHeaders;
  readonly bodyUsed: boolean;
  text(): Promise<string>;
  json(): Promise<unknown>;
  arrayBuffer(): Promise<ArrayBuffer>;
}

export type ConnectionType = 'wifi' | 'cellular' | 'none';

/** What the device's reachability monitor (NWPathMonitor in the design) reports. */
export interface ConnectivityState {
  /** The interface is up: airplane mode off and a wifi or cellular connection. */
  online: boolean;
  /** Online and not cut off from the server by a partition. */
  reachable: boolean;
  connection: ConnectionType;
}

export interface ConnectivityPort {
  current(): ConnectivityState;
  /** Called on every change, as a task of the app (held while it is suspended); returns the unsubscribe. */
  subscribe(listener: (state: ConnectivityState) => void): () => void;
}

/** The states an engine can observe: a terminated app runs no code. */
export type AppState = 'foreground' | 'background';

export type AppEvent =
  | { type: 'foreground' }
  | { type: 'background' }
  /** The OS granted a background refresh window ending at `until` (device clock ms). */
  | { type: 'refresh'; until: number };

/** What the engine sees of the app lifecycle. */
export interface AppLifecyclePort {
  state(): AppState;
  /** Whether a background refresh window is open now. */
  inRefreshWindow(): boolean;
  subscribe(listener: (event: AppEvent) => void): () => void;
}

/**
 * The trace events an engine may record: optional hints (SPEC §3.1), since every checker
 * works from what the harness records.
 */
export type EngineEventType = 'op' | 'device.apply';

/** Where an engine records its hints; the host supplies seq and t. */
export interface TracePort {
  record<K extends EngineEventType>(type: K, fields: TraceEventFields[K]): void;
  /** For event types other tools add (readers that do not know them ignore them). */
  recordCustom(type: string, fields: Record<string, unknown>): void;
}
