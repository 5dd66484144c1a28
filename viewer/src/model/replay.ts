/**
 * The state of every node at a point of a trace, rebuilt from the trace alone: device rows
 * from `op` and `device.apply`, server rows from `server.apply`, each device's queue from
 * its ops the server has not processed yet. A `snapshot` (recorded at the end) replaces
 * what replay guessed for its node. Pure: no DOM, no React.
 */
import type { AnyTraceEvent, SnapshotRow, TaskValue } from '../../../src/trace/events.ts';

/** Whether a device row has reached the server, as far as the trace tells. */
export type SyncStatus = 'pending' | 'synced' | 'differs' | 'unknown';

export interface TaskRow {
  task: string;
  title: string;
  completed: boolean;
  deleted: boolean;
  /** The write whose value the row holds, or null when the trace does not say. */
  write: string | null;
  /** Device rows only: pending (its write still queued), synced (the server holds the same write), differs. */
  status?: SyncStatus;
  /** Server rows: the version of the last applied write. */
  version?: number;
  /** Set when the row comes from a snapshot (rows of one task may repeat there: a duplicate). */
  fromSnapshot?: boolean;
}

export interface QueuedWrite {
  write: string;
  task: string;
  kind: 'create' | 'update' | 'delete';
  seq: number;
}

export interface NodeState {
  node: string;
  /** By task name; a snapshot may hold several rows of one task, keyed `task` then `task#2`, ... */
  rows: Map<string, TaskRow>;
  /** Devices: ops not yet processed by the server, by write, oldest first; server: always empty. */
  queue: Map<string, QueuedWrite>;
  /** The raw queue of a snapshot, when one replaced the replayed queue. */
  snapshotQueue?: unknown[];
}

export interface WriteInfo {
  write: string;
  device: string;
  task: string;
  kind: 'create' | 'update' | 'delete';
  value: TaskValue;
  stamp: string;
  seq: number;
}

/** Everything replay needs to know ahead of time: the nodes and every write's value. */
export interface ReplayInput {
  events: readonly AnyTraceEvent[];
  devices: string[];
  readonly writes: Map<string, WriteInfo>;
}

export function collectWrites(events: readonly AnyTraceEvent[]): Map<string, WriteInfo> {
  const writes = new Map<string, WriteInfo>();
  for (const e of events) {
    if (e.type !== 'op') continue;
    const op = e as Extract<AnyTraceEvent, { type: 'op' }>;
    writes.set(op.write, { write: op.write, device: op.device, task: op.task, kind: op.kind, value: op.value, stamp: op.stamp, seq: op.seq });
  }
  return writes;
}

const DEVICE_EVENTS = new Set(['op', 'invoke', 'read']);

export function devicesOf(events: readonly AnyTraceEvent[]): string[] {
  const start = events.find((e) => e.type === 'run.start') as Extract<AnyTraceEvent, { type: 'run.start' }> | undefined;
  const ids = (start?.devices ?? []).map((d) => d.id);
  // A trace from elsewhere may lack run.start: fall back to the devices its ops and users' events name.
  if (ids.length === 0) {
    for (const e of events) {
      const device = String((e as { device?: unknown }).device);
      if (DEVICE_EVENTS.has(e.type) && !ids.includes(device)) ids.push(device);
    }
  }
  return ids;
}

export function replayInput(events: readonly AnyTraceEvent[]): ReplayInput {
  let writes: Map<string, WriteInfo> | undefined;
  // Collected when replay first needs a write's value, not while the trace loads.
  return { events, devices: devicesOf(events), get writes() { return (writes ??= collectWrites(events)); } };
}

/** The mutable state replay advances; rows are replaced, never mutated, so copies can share them. */
export class ReplayState {
  readonly nodes = new Map<string, NodeState>();
  /** Writes the server has processed (any result), and the write each server row holds. */
  readonly serverSeen = new Set<string>();
  position = -1;

  constructor(private readonly input: ReplayInput) {
    for (const node of [...input.devices, 'server']) this.nodes.set(node, { node, rows: new Map(), queue: new Map() });
  }

  clone(): ReplayState {
    const copy = new ReplayState(this.input);
    for (const [id, node] of this.nodes) {
      copy.nodes.set(id, { node: id, rows: new Map(node.rows), queue: new Map(node.queue), snapshotQueue: node.snapshotQueue });
    }
    for (const w of this.serverSeen) copy.serverSeen.add(w);
    copy.position = this.position;
    return copy;
  }

  private nodeOf(id: string): NodeState {
    let node = this.nodes.get(id);
    if (!node) {
      node = { node: id, rows: new Map(), queue: new Map() };
      this.nodes.set(id, node);
    }
    return node;
  }

  private rowFor(task: string, write: string | null, previous: TaskRow | undefined): TaskRow {
    const info = write === null ? undefined : this.input.writes.get(write);
    if (info) return { task, write, ...info.value };
    // The trace names no value for this write: keep what the row showed, under the new write id.
    return { task, write, title: previous?.title ?? '?', completed: previous?.completed ?? false, deleted: previous?.deleted ?? false };
  }

  /** Applies event `seq` (the next one). */
  apply(event: AnyTraceEvent): void {
    switch (event.type) {
      case 'op': {
        const e = event as Extract<AnyTraceEvent, { type: 'op' }>;
        const node = this.nodeOf(e.device);
        node.rows.set(e.task, { task: e.task, write: e.write, ...e.value });
        if (!this.serverSeen.has(e.write)) node.queue.set(e.write, { write: e.write, task: e.task, kind: e.kind, seq: e.seq });
        break;
      }
      case 'device.apply': {
        const e = event as Extract<AnyTraceEvent, { type: 'device.apply' }>;
        const node = this.nodeOf(e.device);
        node.rows.set(e.task, this.rowFor(e.task, e.write ?? null, node.rows.get(e.task)));
        break;
      }
      case 'server.apply': {
        const e = event as Extract<AnyTraceEvent, { type: 'server.apply' }>;
        const write = e.write ?? null;
        if (write !== null) {
          this.serverSeen.add(write);
          const info = this.input.writes.get(write);
          if (info) this.nodes.get(info.device)?.queue.delete(write);
        }
        if (e.result === 'applied') {
          const server = this.nodeOf('server');
          server.rows.set(e.task, { ...this.rowFor(e.task, write, server.rows.get(e.task)), version: e.version });
        }
        break;
      }
      case 'snapshot': {
        const e = event as Extract<AnyTraceEvent, { type: 'snapshot' }>;
        const node = this.nodeOf(e.node);
        node.rows = snapshotRows(e.tasks);
        node.snapshotQueue = e.queue;
        break;
      }
      default:
        break;
    }
    this.position = event.seq;
  }

  /** A node's rows with their sync status (device rows compared with the server's). */
  rowsOf(node: string): TaskRow[] {
    const state = this.nodes.get(node);
    if (!state) return [];
    const rows = [...state.rows.values()];
    if (node === 'server') return rows;
    const server = this.nodes.get('server')!.rows;
    return rows.map((row) => ({ ...row, status: statusOf(row, state.queue, server.get(row.task)) }));
  }
}

function statusOf(row: TaskRow, queued: ReadonlyMap<string, unknown>, serverRow: TaskRow | undefined): SyncStatus {
  if (row.write === null) return 'unknown';
  if (queued.has(row.write)) return 'pending';
  if (serverRow && serverRow.write === row.write) return 'synced';
  return serverRow ? 'differs' : 'unknown';
}

function snapshotRows(tasks: readonly SnapshotRow[]): Map<string, TaskRow> {
  const rows = new Map<string, TaskRow>();
  for (const t of tasks) {
    let key = t.task;
    for (let n = 2; rows.has(key); n++) key = `${t.task}#${n}`;
    rows.set(key, { task: t.task, title: t.title, completed: t.completed, deleted: t.deleted, write: t.write, fromSnapshot: true });
  }
  return rows;
}

/** The state after event `seq` (inclusive), replayed from the start. */
export function replayTo(input: ReplayInput, seq: number): ReplayState {
  const state = new ReplayState(input);
  const last = Math.min(seq, input.events.length - 1);
  for (let i = 0; i <= last; i++) state.apply(input.events[i]!);
  return state;
}

/**
 * Seeks replay state to any seq cheaply: forward from where it is, backward from the
 * nearest checkpoint (kept every `interval` events as it passes them), so scrubbing a
 * 100,000-event trace replays at most `interval` events.
 */
export class ReplayCursor {
  private state: ReplayState;
  private readonly checkpoints = new Map<number, ReplayState>();

  constructor(
    private readonly input: ReplayInput,
    private readonly interval = 8192,
  ) {
    this.state = new ReplayState(input);
  }

  seek(seq: number): ReplayState {
    const target = Math.max(-1, Math.min(seq, this.input.events.length - 1));
    if (target < this.state.position) {
      const base = Math.floor((target + 1) / this.interval) * this.interval - 1;
      const checkpoint = this.checkpoints.get(base);
      this.state = checkpoint ? checkpoint.clone() : new ReplayState(this.input);
    }
    const events = this.input.events;
    for (let i = this.state.position + 1; i <= target; i++) {
      this.state.apply(events[i]!);
      if ((i + 1) % this.interval === 0 && !this.checkpoints.has(i)) this.checkpoints.set(i, this.state.clone());
    }
    return this.state;
  }
}
