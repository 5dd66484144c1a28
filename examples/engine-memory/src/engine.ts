/**
 * A small outside engine, as a team would write one against syncsim's published types: it
 * sees only the ports. Rows and the queue live in memory only, so a crash loses what was
 * not yet synced (durability says so); a sync pushes the queue through POST /v1/sync/batch
 * and takes the delta.
 */
import { defineEngine, type ClientEngine, type EnginePorts, type QueuedOperation, type Row, type TimerHandle, type WriteLabel } from 'syncsim';

interface MemoryRow { id: string; clientId: string; serverId: string | null; title: string; completed: boolean; deleted: boolean; write: string | null }
interface Op { seq: number; kind: 'create' | 'update' | 'delete'; task: string; write: string; stamp: string }
interface WireTask { id: string; clientId: string; title: string; completed: boolean; write?: string | null }
interface BatchReply { results: Array<{ success: boolean; id?: string }>; delta: { tasks: WireTask[]; deletedTasks: WireTask[]; nextCursor: number }; cursor: number }

/** Named so the harness treats it as the user's failed write (SPEC §3.1). */
class LocalWriteError extends Error {
  override name = 'LocalWriteError';
}

class MemoryEngine implements ClientEngine {
  readonly ready: Promise<void> = Promise.resolve();
  private readonly rows = new Map<string, MemoryRow>();
  private queued: Op[] = [];
  private cursor = 0;
  private seq = 0;
  private lastStamp = 0;
  private syncing = false;
  private timer: TimerHandle | undefined;

  constructor(private readonly ports: EnginePorts) {
    ports.connectivity.subscribe((state) => { if (state.reachable) this.sync(); });
    this.sync();
  }

  async create(value: { title: string; completed?: boolean }, label: WriteLabel): Promise<string> {
    const id = `${this.ports.deviceId}-${this.ports.incarnation}-${this.seq + 1}`;
    this.commit('create', { id, clientId: id, serverId: null, title: value.title, completed: value.completed ?? false, deleted: false, write: label.write });
    return id;
  }

  async update(id: string, change: { title?: string; completed?: boolean }, label: WriteLabel): Promise<void> {
    const row = this.visible(id);
    this.commit('update', { ...row, title: change.title ?? row.title, completed: change.completed ?? row.completed, write: label.write });
  }

  async delete(id: string, label: WriteLabel): Promise<void> {
    this.commit('delete', { ...this.visible(id), deleted: true, write: label.write });
  }

  sync(): void {
    if (this.syncing) return;
    this.syncing = true;
    this.ports.timers.clearTimeout(this.timer);
    this.round().then(
      (again) => { this.syncing = false; this.later(again ? 100 : 2000, again); },
      () => { this.syncing = false; this.later(2000, this.queued.length > 0); },
    );
  }

  async tasks(): Promise<Row[]> {
    return [...this.rows.values()].map((row) => ({ ...row }));
  }

  async queue(): Promise<QueuedOperation[]> {
    return this.queued.map(({ kind, task, write }) => ({ kind, task, write, attempts: 0 }));
  }

  private visible(id: string): MemoryRow {
    const row = this.rows.get(id);
    if (row === undefined || row.deleted) throw new LocalWriteError(`no task ${id}`);
    return row;
  }

  private commit(kind: Op['kind'], row: MemoryRow): void {
    this.lastStamp = Math.max(this.lastStamp + 1, this.ports.clock.now());
    this.seq += 1;
    this.queued.push({ seq: this.seq, kind, task: row.id, write: row.write ?? '', stamp: String(this.lastStamp).padStart(15, '0') });
    this.rows.set(row.id, row);
    this.sync();
  }

  private later(ms: number, keepAlive: boolean): void {
    this.timer = this.ports.timers.setTimeout(() => this.sync(), ms);
    if (!keepAlive) this.timer.unref();
  }

  /** One batch: the queue up to the first op whose task has no server id yet, then the delta. Resolves to whether work is left. */
  private async round(): Promise<boolean> {
    const ops: Op[] = [];
    for (const op of this.queued) {
      if (op.kind !== 'create' && this.rows.get(op.task)?.serverId == null) break;
      ops.push(op);
    }
    const operations = ops.map((op) => {
      const row = this.rows.get(op.task)!;
      return { type: op.kind, id: row.serverId ?? '', clientId: row.clientId, title: row.title, completed: row.completed, stamp: op.stamp, device: this.ports.deviceId, write: op.write, idempotencyKey: `${this.ports.deviceId}:${op.write}` };
    });
    const controller = new AbortController();
    const timeout = this.ports.timers.setTimeout(() => controller.abort(), 10_000);
    const headers = { authorization: `Bearer ${this.ports.server.token}`, 'content-type': 'application/json' };
    const body = JSON.stringify({ operations, cursor: this.cursor });
    const response = await this.ports.fetch('/v1/sync/batch', { method: 'POST', headers, body, signal: controller.signal }).finally(() => this.ports.timers.clearTimeout(timeout));
    if (!response.ok) throw new Error(`sync failed: ${response.status}`);
    const reply = (await response.json()) as BatchReply;
    ops.forEach((op, i) => {
      const row = this.rows.get(op.task)!;
      const id = reply.results[i]?.id;
      if (id !== undefined && row.serverId === null) this.rows.set(row.id, { ...row, serverId: id });
    });
    const sent = new Set(ops.map((op) => op.seq));
    this.queued = this.queued.filter((op) => !sent.has(op.seq));
    const pending = new Set(this.queued.map((op) => op.task));
    const incoming = [...reply.delta.tasks.map((t) => ({ t, deleted: false })), ...reply.delta.deletedTasks.map((t) => ({ t, deleted: true }))];
    for (const { t, deleted } of incoming) {
      if (pending.has(t.clientId) || this.rows.get(t.clientId)?.deleted) continue;
      this.rows.set(t.clientId, { id: t.clientId, clientId: t.clientId, serverId: t.id, title: t.title, completed: t.completed, deleted, write: t.write ?? null });
    }
    this.cursor = reply.delta.nextCursor;
    return this.queued.length > 0 || reply.delta.nextCursor < reply.cursor;
  }
}

export default defineEngine({
  name: 'memory',
  summary: 'rows and queue in memory only: fine until the app crashes',
  create: (ports) => new MemoryEngine(ports),
});
