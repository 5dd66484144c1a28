import type { ConnectionType, DropRule, NetworkConditions, NodeId } from '../net/index.ts';

/** A validated scenario file. Every duration is an integer number of milliseconds. */
export interface Scenario {
  name: string;
  description: string;
  /** Run seed; the CLI's --seed overrides it. */
  seed?: number;
  /** `reference`, `naive`, `mutant:<name>` or a module path relative to the file's folder (syntax checked only); the CLI's --engine overrides it. */
  engine?: string;
  /** Virtual time for the steps; the final heal follows. */
  duration: number;
  devices: DeviceSpec[];
  /** Network defaults at time 0; fields not given keep the simulator's defaults. */
  network: Partial<NetworkConditions>;
  /** Sorted by `at`; steps at the same `at` keep file order. */
  steps: Step[];
  expect: Expectations;
  /** After `duration`: end every fault, bring every device back, run until quiescent. */
  finalHeal: boolean;
  /** The path the scenario was loaded from (as given). */
  file: string;
}

export interface DeviceSpec {
  id: string;
  /** Clock offset in ms; may be negative. */
  skew: number;
  /** Clock drift in parts per million. */
  drift?: number;
  /** The account the device signs in to (the world's default when absent). */
  user?: string;
}

export interface Expectations {
  /** Final state per task name, on the server and every device. */
  tasks?: Record<string, TaskExpectation>;
  syncLatency?: { max: number };
  /** The run is expected to fail exactly these checkers. */
  violations?: string[];
}

export interface TaskExpectation {
  title?: string;
  completed?: boolean;
  deleted?: boolean;
}

/** Where a step sits in time and in its file. */
export interface StepBase {
  at: number;
  line: number;
  column: number;
}

// Steps a user or the OS takes on one device.

export interface CreateStep extends StepBase { kind: 'create'; device: string; task: string; title: string; completed?: boolean }
/** An extension for large task counts: creates `<task>-1` … `<task>-<count>`, titled `<title> 1` …, one after another. */
export interface CreateManyStep extends StepBase { kind: 'createMany'; device: string; task: string; count: number; title: string }
export interface UpdateStep extends StepBase { kind: 'update'; device: string; task: string; title?: string; completed?: boolean }
export interface DeleteStep extends StepBase { kind: 'delete'; device: string; task: string }
/** Airplane mode on. */
export interface OfflineStep extends StepBase { kind: 'offline'; device: string }
export interface OnlineStep extends StepBase { kind: 'online'; device: string }
/** The user pulls to refresh. */
export interface SyncStep extends StepBase { kind: 'sync'; device: string }
/** The user looks at the task list: the harness records what it shows (a `read` event). */
export interface ReadStep extends StepBase { kind: 'read'; device: string }
export type AppState = 'background' | 'foreground' | 'terminate';
export interface AppStep extends StepBase { kind: 'app'; device: string; state: AppState }
export interface ConnectionStep extends StepBase { kind: 'connection'; device: string; connection: ConnectionType }
/** The OS grants a background refresh window of `ms`. */
export interface BackgroundRefreshStep extends StepBase { kind: 'backgroundRefresh'; device: string; ms: number }
/** The device's next `failWrites` local transactions fail. */
export interface StorageStep extends StepBase { kind: 'storage'; device: string; failWrites: number }

export type DeviceStep =
  | CreateStep | CreateManyStep | UpdateStep | DeleteStep | OfflineStep | OnlineStep | SyncStep | ReadStep
  | AppStep | ConnectionStep | BackgroundRefreshStep | StorageStep;

// Faults and changes to the world.

export interface DropStep extends StepBase { kind: 'drop'; rule: DropRule }
/** Nodes are device ids or `server`; each node in at most one group. */
export interface PartitionStep extends StepBase { kind: 'partition'; groups: NodeId[][] }
export interface HealStep extends StepBase { kind: 'heal' }
/** Process killed: memory lost, disk kept. */
export interface CrashStep extends StepBase { kind: 'crash'; device: string }
export interface RestartStep extends StepBase { kind: 'restart'; device: string }
/** The server answers 503 with Retry-After for `ms` (0 ends an outage). */
export interface ServerUnavailableStep extends StepBase { kind: 'server-unavailable'; ms: number }
export interface RateLimit { capacity: number; refillPerSecond: number }
/** `limit: null` turns rate limiting off (the file's `null`, `0` or `capacity: 0`). */
export interface ServerRateLimitStep extends StepBase { kind: 'server-rate-limit'; limit: RateLimit | null }
/** Per-user task quota; null turns it off. */
export interface ServerQuotaStep extends StepBase { kind: 'server-quota'; limit: number | null }
/** The server process restarts: requests in flight are lost, the store is durable. */
export interface ServerRestartStep extends StepBase { kind: 'server-restart' }
/** Changes the network defaults from now on. */
export interface NetworkStep extends StepBase { kind: 'network'; conditions: Partial<NetworkConditions> }
/** Sets a device's clock skew (ms, may be negative) and, if given, its drift (ppm). */
export interface ClockStep extends StepBase { kind: 'clock'; device: string; skew: number; drift?: number }

export type WorldStep =
  | DropStep | PartitionStep | HealStep | CrashStep | RestartStep
  | ServerUnavailableStep | ServerRateLimitStep | ServerQuotaStep | ServerRestartStep
  | NetworkStep | ClockStep;

export type Step = DeviceStep | WorldStep;
export type StepKind = Step['kind'];

/** The checkers `expect.violations` may name (SPEC §6). */
export const CHECKER_NAMES = [
  'no-duplicates', 'convergence', 'lww', 'causal', 'no-resurrection', 'durability', 'sync-latency',
  'read-your-writes', 'monotonic-reads', 'nothing-judged',
] as const;
