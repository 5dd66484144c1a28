import { LocalWriteError, type ClientEngine, type LocalTask, type QueuedOperation, type WriteLabel } from '../engine.ts';
import type { EnginePorts } from '../ports.ts';
import { ApiClient } from './api-client.ts';
import { HybridClock } from './clock.ts';
import { NO_DEFECTS, type Defects, type TaskListView } from './defects.ts';
import { LocalStore } from './local-store.ts';
import type { OpKind, QueuedOp, TaskRow } from './model.ts';
import { enqueue } from './queue.ts';
import type { AppliedWrite } from './reconcile.ts';
import { SyncEngine, type SyncObserver } from './sync-engine.ts';

interface Parts {
  store: LocalStore;
  clock: HybridClock;
  sync: SyncEngine;
  /** A defective task list (mutants only); null: `tasks()` reads the database. */
  view: TaskListView | null;
}

/** A random id from the device's seeded source, shaped like a UUID v4. */
function uuid(random: () => number): string {
  let hex = '';
  for (let i = 0; i < 32; i++) hex += Math.floor(random() * 16).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The repository: the single source of truth for the app. Reads come from the local
 * database only; a write commits the row and its queued op in one transaction and
 * returns without waiting for the network; the sync engine takes it from there.
 */
export class ReferenceEngine implements ClientEngine {
  readonly ready: Promise<void>;
  private readonly parts: Promise<Parts>;
  /** With a task-list defect: the rows as the list last showed them, by id. */
  private shown: Map<string, LocalTask> | undefined;

  /** `defects` is for mutant engines only (see defects.ts); the reference engine has none. */
  constructor(
    private readonly ports: EnginePorts,
    private readonly defects: Defects = NO_DEFECTS,
  ) {
    this.parts = this.open();
    this.ready = this.parts.then(() => undefined);
    this.ready.catch(() => undefined); // a failed open surfaces through each call instead
  }

  private async open(): Promise<Parts> {
    const store = await LocalStore.open(this.ports.indexedDB, this.ports.IDBKeyRange);
    const meta = await store.meta();
    const wall = () => this.ports.clock.now();
    const clock = this.defects.clock ? this.defects.clock(meta.hlc, wall) : new HybridClock(meta.hlc, wall);
    if (this.defects.onOpen) await this.defects.onOpen(store);
    const api = new ApiClient(this.ports);
    const view = this.defects.taskList?.(() => readTasks(store)) ?? null;
    const observer: SyncObserver = { applied: (applied) => this.traceApplied(applied) };
    if (view?.serverChangeStarting) observer.serverChangeStarting = () => view.serverChangeStarting!();
    if (view?.synced) observer.synced = () => view.synced!();
    const sync = new SyncEngine({ ports: this.ports, store, api, clock, cursor: meta.cursor, newKey: () => this.newKey(), observer, defects: this.defects });
    // The queue left by an earlier incarnation is simply sent again, under the same keys.
    sync.start();
    return { store, clock, sync, view };
  }

  async create(value: { title: string; completed?: boolean }, label: WriteLabel): Promise<string> {
    const id = uuid(this.ports.random);
    await this.write(id, 'create', label, (before) => {
      if (before !== undefined) throw new LocalWriteError(`task ${id} already exists`);
      return { id, serverId: null, title: value.title, completed: value.completed ?? false, deleted: false, version: null };
    });
    return id;
  }

  update(id: string, change: { title?: string; completed?: boolean }, label: WriteLabel): Promise<void> {
    // What the user left unchanged is what the list showed them (the row itself, but for a task-list defect).
    const shown = this.shown?.get(id);
    return this.write(id, 'update', label, (before) => {
      const row = live(before, id);
      const base = shown ?? row;
      return { ...row, title: change.title ?? base.title, completed: change.completed ?? base.completed };
    });
  }

  delete(id: string, label: WriteLabel): Promise<void> {
    return this.write(id, 'delete', label, (before) => ({ ...live(before, id), deleted: true }));
  }

  sync(): void {
    void this.parts.then(({ sync, view }) => {
      view?.refreshed?.();
      sync.explicit();
    }, () => undefined);
  }

  async tasks(): Promise<LocalTask[]> {
    const { store, view } = await this.parts;
    if (view === null) return readTasks(store);
    const rows = await view.read();
    this.shown = new Map(rows.map((row) => [row.id, row]));
    return rows;
  }

  /** Ops waiting to be sent; a parked op (refused for good) waits for the user instead, so it is not pending. */
  async queue(): Promise<QueuedOperation[]> {
    const { store } = await this.parts;
    const pending = (await store.ops()).filter((op) => op.parked !== true);
    return pending.map((op) => ({ kind: op.kind, task: op.task, write: op.write, attempts: op.attempts }));
  }

  /**
   * One user write: the row, its op (coalesced with the task's queued ops) and the clock
   * commit together. Any failure rejects with LocalWriteError and leaves nothing behind.
   */
  private async write(
    id: string,
    kind: OpKind,
    label: WriteLabel,
    change: (before: TaskRow | undefined) => Omit<TaskRow, 'write' | 'stamp' | 'device' | 'status' | 'error'>,
  ): Promise<void> {
    const { store, clock, sync, view } = await this.parts;
    const key = this.newKey();
    const device = this.ports.deviceId;
    const defects = this.defects;
    let committed: { row: TaskRow; basis: string | null } | undefined;
    let attempted: { row: TaskRow; basis: string | null; op: QueuedOp } | undefined;
    try {
      committed = await store.write(async (tx) => {
        // A new id has no row and no ops yet: skip the reads on the hottest path.
        const [before, ops] = kind === 'create' ? [undefined, []] : await Promise.all([tx.row(id), tx.opsOf(id)]);
        const value = change(before);
        // Stamped inside the transaction, so stamp order is commit order.
        const stamp = clock.next();
        const op: QueuedOp = { task: id, kind, title: value.title, completed: value.completed, stamp, device, write: label.write, key, sent: false, attempts: 0 };
        const next = (defects.enqueue ?? enqueue)(ops, op);
        // Field by field: a new write clears the last sync failure (`error`), and a fixed shape stays fast.
        const { id: rowId, serverId, title, completed, deleted, version } = value;
        const row: TaskRow = { id: rowId, serverId, title, completed, deleted, version, write: label.write, stamp, device, status: next.length === 0 ? 'synced' : 'pending' };
        tx.putRow(row);
        if (defects.deferQueue === undefined) tx.replaceOps(ops, next);
        tx.setMeta('hlc', clock.state);
        attempted = { row, basis: before?.write ?? null, op };
        return { row, basis: before?.write ?? null };
      });
    } catch (error) {
      if (error instanceof LocalWriteError) throw error;
      if (defects.ignoreWriteFailure === true && attempted !== undefined) committed = attempted;
      else throw new LocalWriteError(`local write failed: ${error instanceof Error ? error.name : String(error)}`);
    }
    const { row, basis } = committed;
    const value = { title: row.title, completed: row.completed, deleted: row.deleted };
    this.ports.trace.record('op', { device, write: label.write, kind, task: id, value, basis, stamp: row.stamp });
    this.ports.trace.record('device.apply', { device, task: id, write: label.write, source: 'local' });
    view?.written?.();
    const queued = attempted?.op;
    if (defects.deferQueue !== undefined && queued !== undefined) {
      // A defect: the op is stored by a second transaction, after the write returned.
      const later = async (): Promise<void> => {
        await store.write(async (tx) => {
          const ops = await tx.opsOf(id);
          tx.replaceOps(ops, (defects.enqueue ?? enqueue)(ops, queued));
        });
        sync.written();
      };
      defects.deferQueue(later, this.ports);
      return;
    }
    sync.written();
  }

  private newKey(): string {
    return uuid(this.ports.random);
  }

  private traceApplied(applied: AppliedWrite[]): void {
    const device = this.ports.deviceId;
    for (const { task, write, source } of applied) this.ports.trace.record('device.apply', { device, task, write, source });
  }
}

/** Every row of the local database, as the user sees it. */
async function readTasks(store: LocalStore): Promise<LocalTask[]> {
  return (await store.tasks()).map((row) => ({
    id: row.id,
    clientId: row.id,
    serverId: row.serverId,
    title: row.title,
    completed: row.completed,
    deleted: row.deleted,
    write: row.write,
    syncStatus: row.status,
    ...(row.error !== undefined && { error: row.error }),
  }));
}

/** The row a user can edit: it exists here and is not deleted. */
function live(row: TaskRow | undefined, id: string): TaskRow {
  if (row === undefined || row.deleted) throw new LocalWriteError(`no live task ${id} on this device`);
  return row;
}
