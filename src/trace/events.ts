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
    version: 1; scenario: string; seed: number | string; engine: string; devices: Array<{ id: string; skew: number; user?: string }>;
    // What the verdict depends on beyond the history, so that `check` judges as `run` did; traces from elsewhere may omit them.
    expect?: RunExpectations; objectiveMs?: number; finalHeal?: boolean;
  };
  op: { device: string; write: string; kind: 'create' | 'update' | 'delete'; task: string; value: TaskValue; basis: string | null; stamp: string };
  'msg.send': { msg: number; from: string; to: string; method: string; path: string; reply?: number; status?: number };
  'msg.deliver': { msg: number; from: string; to: string; method: string; path: string; reply?: number; status?: number };
  'msg.drop': { msg: number; from: string; to: string; method: string; path: string; reply?: number; status?: number; reason: DropReason };
  'msg.dup': { msg: number; of: number; from: string; to: string; method: string; path: string; reply?: number; status?: number };
  fault: { kind: FaultKind; detail: Record<string, unknown> };
  'server.apply': { write: string | null; task: string; result: 'applied' | 'duplicate' | 'conflict' | 'rejected'; version: number; cursor: number; op?: 'create' | 'update' | 'delete'; id?: string };
  'device.apply': { device: string; task: string; write: string | null; source: 'local' | 'pull' | 'reply' };
  snapshot: { node: string; tasks: SnapshotRow[]; queue: unknown[] };
  check: { checker: string; ok: boolean; detail: unknown };
  'run.end': { ok: boolean; violations: string[]; hash: string };
}

/** Why a message never arrived. */
export type DropReason = 'offline' | 'partition' | 'rule' | 'random' | 'crashed' | 'restarted';

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
