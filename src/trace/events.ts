/**
 * The trace format (SPEC §5): JSON Lines, one event per line. Every event has `seq`, `t`
 * and `type`; readers ignore types and fields they do not know.
 */

export interface TaskValue {
  title: string;
  completed: boolean;
  deleted: boolean;
}

export type FaultKind =
  | 'partition' | 'heal' | 'offline' | 'online' | 'crash' | 'restart' | 'unavailable'
  | 'rateLimit' | 'quota' | 'skew' | 'drop-rule' | 'network' | 'app' | 'connection'
  | 'backgroundRefresh' | 'storage' | 'storage-failure' | 'server-restart';

export interface SnapshotRow {
  task: string;
  id: string;
  title: string;
  completed: boolean;
  deleted: boolean;
  write: string | null;
}

/** A scenario's expectations (its `expect`), as run.start carries them: only the keys the scenario gave. */
export interface RunExpectations {
  /** Final state per task name, on the server and every device. */
  tasks?: Record<string, { title?: string; completed?: boolean; deleted?: boolean }>;
  syncLatency?: { max: number };
  /** Exactly these checkers are expected to fail. */
  violations?: string[];
}

/** Event payloads by type, without the common seq/t/type header. */
export interface TraceEventFields {
  'run.start': {
    version: 1; scenario: string; seed: number | string; engine: string; devices: Array<{ id: string; skew: number; drift?: number; user?: string }>;
    // What the verdict depends on beyond the history, so that `check` judges as `run` did; traces from elsewhere may omit them.
    expect?: RunExpectations; objectiveMs?: number; finalHeal?: boolean;
    // Who recorded the trace: absent for a simulated run; 'serve' for `syncsim serve --trace` (no devices, no user history).
    source?: TraceSource;
  };
  op: { device: string; write: string; kind: 'create' | 'update' | 'delete'; task: string; value: TaskValue; basis: string | null; stamp: string };
  'msg.send': { msg: number; from: string; to: string; method: string; path: string; reply?: number; status?: number };
  'msg.deliver': { msg: number; from: string; to: string; method: string; path: string; reply?: number; status?: number };
  'msg.drop': { msg: number; from: string; to: string; method: string; path: string; reply?: number; status?: number; reason: DropReason };
  'msg.dup': { msg: number; of: number; from: string; to: string; method: string; path: string; reply?: number; status?: number };
  fault: { kind: FaultKind; detail: Record<string, unknown> };
  'server.apply': { write: string | null; task: string; result: 'applied' | 'duplicate' | 'conflict' | 'rejected'; version: number; cursor: number; op?: 'create' | 'update' | 'delete'; id?: string; inferred?: boolean };
  'device.apply': { device: string; task: string; write: string | null; source: 'local' | 'pull' | 'reply' };
  snapshot: { node: string; tasks: SnapshotRow[]; queue: unknown[] };
  check: { checker: string; ok: boolean; detail: unknown };
  invoke: { device: string; write: string; kind: WriteKind; task: string; value: TaskValue; basis: string | null };
  ok: { device: string; write: string; id?: string };
  fail: { device: string; write: string; error: string };
  read: ReadFields;
  'engine-error': { device: string | null; step: number | null; call: string; error: string; stack: string };
  'run.end': { ok: boolean; violations: string[]; hash: string };
}

export type WriteKind = 'create' | 'update' | 'delete';

/** A live task as a user saw it in the list. */
export interface ReadRow {
  task: string;
  id: string;
  title: string;
  completed: boolean;
}

/** What made the harness read the list: a write returned, the user opened a task to edit it, a `read` step, a generated moment, the end of the run. */
export type ReadCause = 'write' | 'edit' | 'step' | 'random' | 'end';

/**
 * A read: the live rows the user saw. Written compactly when the device read before:
 * `since` is the seq of that device's previous read, `rows` the rows added or changed
 * since, `gone` the ids no longer there (see `ReadViews`, which expands it).
 */
export interface ReadFields {
  device: string;
  cause?: ReadCause;
  rows: ReadRow[];
  since?: number;
  gone?: string[];
}

/** Why a message never arrived ('reset': `serve --faults` closed the connection). */
export type DropReason = 'offline' | 'partition' | 'rule' | 'random' | 'crashed' | 'restarted' | 'reset';

/** What recorded a trace: 'serve' is a live server's account, with no devices and no user history (SPEC §5, §7). */
export type TraceSource = 'serve';

export type KnownEventType = keyof TraceEventFields;

export interface EventHeader<T extends string = string> {
  seq: number;
  t: number;
  type: T;
}

/** A known event, as recorded or parsed. */
export type TraceEvent = {
  [K in KnownEventType]: EventHeader<K> & TraceEventFields[K];
}[KnownEventType];

/** Any event: known ones, or one of a type this version does not know. */
export type AnyTraceEvent = TraceEvent | (EventHeader & Record<string, unknown>);

export type EventOf<K extends KnownEventType> = EventHeader<K> & TraceEventFields[K];
