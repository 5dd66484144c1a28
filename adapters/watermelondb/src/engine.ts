/**
 * WatermelonDB 0.28 on one device incarnation: LokiJS in memory, saved to the device's
 * IndexedDB by Loki's autosave (the durability window), synced to the §4 API by the
 * library's `synchronize()` with this package's pull, push and conflict resolver.
 */
import type { ClientEngine, EnginePorts, QueuedOperation, Row, WriteLabel } from 'syncsim';
import { TaskApi } from './api.ts';
import { resolveLww } from './conflict.ts';
import { hasUnsyncedChanges, idFrom, LokiJSAdapter, synchronize, watermelon } from './library.ts';
import { devicePersistence } from './loki-idb.ts';
import { cursorOf, pullChanges } from './pull.ts';
import { pushChanges } from './push.ts';
import { rawOf, schema, TABLE, Task, type TaskRaw } from './schema.ts';
import { formatStamp, nextStamp, STAMP_ZERO, type StampState } from './stamp.ts';
import { SyncLoop } from './sync-loop.ts';
import { valueOf } from './wire.ts';

const { Database, Q } = watermelon;

export const LOKI_SETTINGS = {
  /** Loki saves a changed database this often: a crash loses what changed since the last save. */
  autosaveInterval: 500,
  dbName: 'syncsim-tasks',
};

/** Named so the harness treats it as the user's failed write (SPEC §3.1). */
class LocalWriteError extends Error {
  override name = 'LocalWriteError';
}

type TaskModel = InstanceType<typeof Task> & { _setRaw(column: string, value: unknown): void; _raw: unknown };

export interface EngineOptions {
  /**
   * Resolve a write only once Loki has saved it to IndexedDB (a save forced after each
   * write), closing the autosave window. Off by default: WatermelonDB resolves a write once
   * it is in Loki's memory, and that is what a team gets unless it does this itself.
   */
  durableWrites: boolean;
  /**
   * `lww`: the design's per-row last-write-wins by stamp (src/conflict.ts). `library`:
   * WatermelonDB's own merge (locally changed columns beat the server's), to show what a
   * team that keeps the default gets.
   */
  conflicts: 'lww' | 'library';
}

const DEFAULT_OPTIONS: EngineOptions = { durableWrites: false, conflicts: 'lww' };

interface LokiHandle {
  saveDatabase(callback: (error?: unknown) => void): void;
}

export class WatermelonEngine implements ClientEngine {
  readonly ready: Promise<void>;
  private readonly database: InstanceType<typeof Database>;
  private readonly api: TaskApi;
  private readonly loop: SyncLoop;
  private stamp: StampState = STAMP_ZERO;
  /** Rows the server refused for good, by the stamp of the write it refused: not sent again until written again. */
  private readonly refused = new Map<string, string>();

  private readonly adapter: InstanceType<typeof LokiJSAdapter>;

  constructor(private readonly ports: EnginePorts, private readonly options: EngineOptions = DEFAULT_OPTIONS) {
    const adapter = new LokiJSAdapter({
      schema,
      dbName: LOKI_SETTINGS.dbName,
      useWebWorker: false,
      useIncrementalIndexedDB: true,
      _testLokiAdapter: devicePersistence(ports.indexedDB, ports.IDBKeyRange) as never,
      extraLokiOptions: { autosave: true, autosaveInterval: LOKI_SETTINGS.autosaveInterval },
    });
    this.adapter = adapter;
    this.database = new Database({ adapter, modelClasses: [Task] });
    this.api = new TaskApi(ports);
    this.loop = new SyncLoop(ports, () => this.syncRound());
    this.ready = this.collection.query().fetchCount().then(() => this.start());
  }

  async create(value: { title: string; completed?: boolean }, label: WriteLabel): Promise<string> {
    const id = idFrom(this.ports.random);
    const stamp = this.nextStamp(null);
    const completed = value.completed ?? false;
    await this.database.write(async () => {
      await this.collection.create((record) => {
        const task = record as TaskModel;
        (task._raw as TaskRaw).id = id;
        this.setWrite(task, { title: value.title, completed, stamp, write: label.write });
        task._setRaw('server_id', null);
        task._setRaw('version', 0);
      });
    });
    await this.durable();
    this.recordOp(label, 'create', id, { title: value.title, completed }, false, null, stamp);
    this.loop.later(50, true);
    return id;
  }

  async update(id: string, change: { title?: string; completed?: boolean }, label: WriteLabel): Promise<void> {
    let basis: string | null = null;
    let done: { title: string; completed: boolean; stamp: string } | undefined;
    await this.database.write(async () => {
      const record = await this.live(id);
      const raw = rawOf(record);
      basis = raw.write;
      done = { title: change.title ?? raw.title, completed: change.completed ?? raw.completed, stamp: this.nextStamp(raw.stamp) };
      await record.update((r) => this.setWrite(r as TaskModel, { ...done!, write: label.write }));
    });
    await this.durable();
    this.recordOp(label, 'update', id, done!, false, basis, done!.stamp);
    this.loop.later(50, true);
  }

  async delete(id: string, label: WriteLabel): Promise<void> {
    let basis: string | null = null;
    let done: { title: string; completed: boolean; stamp: string } | undefined;
    await this.database.write(async () => {
      const record = await this.live(id);
      const raw = rawOf(record);
      basis = raw.write;
      done = { title: raw.title, completed: raw.completed, stamp: this.nextStamp(raw.stamp) };
      // Stamp the row first: WatermelonDB's delete marks the row by id and keeps its columns, which the push sends.
      await record.update((r) => this.setWrite(r as TaskModel, { ...done!, write: label.write }));
      await record.markAsDeleted();
    });
    await this.durable();
    this.recordOp(label, 'delete', id, done!, true, basis, done!.stamp);
    this.loop.later(50, true);
  }

  sync(): void {
    this.loop.now();
  }

  async tasks(): Promise<Row[]> {
    const records = await this.collection.query().fetch();
    return records.map((record) => {
      const raw = rawOf(record);
      return { id: raw.id, clientId: raw.id, serverId: raw.server_id, title: raw.title, completed: raw.completed, write: raw.write };
    });
  }

  async queue(): Promise<QueuedOperation[]> {
    const pending = await this.collection.query(Q.where('_status', Q.oneOf(['created', 'updated']))).fetch();
    const deleted = await this.deletedRows();
    const ops = [
      ...pending.map((record) => ({ raw: rawOf(record), kind: rawOf(record)._status === 'created' ? ('create' as const) : ('update' as const) })),
      ...deleted.map((raw) => ({ raw, kind: 'delete' as const })),
    ];
    return ops
      .filter(({ raw }) => !this.isRefused(raw))
      .map(({ raw, kind }) => ({ kind, task: raw.id, write: raw.write, attempts: 0 }));
  }

  private get collection() {
    return this.database.get<InstanceType<typeof Task>>(TABLE);
  }

  private start(): void {
    this.ports.connectivity.subscribe((state) => {
      if (state.online) this.loop.now();
    });
    this.ports.app.subscribe((event) => {
      if (event.type === 'foreground' || event.type === 'refresh') this.loop.now();
    });
    this.loop.now();
  }

  /** One synchronize(): pull, apply with LWW, push. Resolves to whether work is left. */
  private async syncRound(): Promise<boolean> {
    let more = false;
    let cursor = 0;
    await synchronize({
      database: this.database,
      sendCreatedAsUpdated: true,
      ...(this.options.conflicts === 'lww' && { conflictResolver: resolveLww }),
      pullChanges: async ({ lastPulledAt }) => {
        const pulled = await pullChanges(this.api, lastPulledAt);
        more = pulled.more;
        cursor = cursorOf(pulled.timestamp);
        return pulled;
      },
      pushChanges: async ({ changes }) => {
        const set = (changes as Record<string, { created: TaskRaw[]; updated: TaskRaw[]; deleted: string[] }>)[TABLE] ?? { created: [], updated: [], deleted: [] };
        const input = {
          created: set.created.filter((raw) => !this.isRefused(raw)),
          updated: set.updated.filter((raw) => !this.isRefused(raw)),
          deleted: (await this.deletedRows(set.deleted)).filter((raw) => !this.isRefused(raw)),
        };
        const outcome = await pushChanges(this.api, input, cursor);
        const stamps = new Map([...set.created, ...set.updated].map((raw) => [raw.id, raw.stamp]));
        for (const [id] of outcome.refused) this.refused.set(id, stamps.get(id) ?? '');
        // Rows refused now or before stay pending (never marked synced), but are not resent.
        const held = [...outcome.rejected, ...[...set.created, ...set.updated].filter((raw) => this.isRefused(raw)).map((raw) => raw.id)];
        return { experimentalRejectedIds: { [TABLE]: held } };
      },
    });
    if (more) return true;
    if (!(await hasUnsyncedChanges({ database: this.database }))) return false;
    return (await this.queue()).length > 0;
  }

  /** With `durableWrites`: waits for a Loki save (queued behind one in progress, so it includes this write). */
  private async durable(): Promise<void> {
    if (!this.options.durableWrites) return;
    // WatermelonDB 0.28 has no public handle on Loki; this is the synchronous worker's driver.
    const internals = this.adapter as unknown as { _dispatcher: { _worker: { _bridge: { driver: { loki: LokiHandle } } } } };
    const loki = internals._dispatcher._worker._bridge.driver.loki;
    await new Promise<void>((resolve, reject) =>
      loki.saveDatabase((error) => (error ? reject(new LocalWriteError(`the save to IndexedDB failed: ${String(error)}`)) : resolve())),
    );
  }

  private async live(id: string): Promise<TaskModel> {
    const found = await this.collection.query(Q.where('id', id)).fetch();
    const record = found[0];
    if (record === undefined) throw new LocalWriteError(`no task ${id}`);
    return record as TaskModel;
  }

  /** Rows deleted here and not yet pushed: WatermelonDB lists only their ids; the push needs their server id and stamp. */
  private async deletedRows(ids?: string[]): Promise<TaskRaw[]> {
    const wanted = ids ?? (await this.database.adapter.getDeletedRecords(TABLE));
    if (wanted.length === 0) return [];
    const query = this.collection.query(
      Q.unsafeLokiTransform((_raws: unknown[], loki: { getCollection(name: string): { find(q: unknown): unknown[] } }) =>
        loki.getCollection(TABLE).find({ id: { $in: wanted } }),
      ),
    );
    return (await query.unsafeFetchRaw()) as TaskRaw[];
  }

  private isRefused(raw: TaskRaw): boolean {
    return this.refused.has(raw.id) && this.refused.get(raw.id) === raw.stamp;
  }

  private nextStamp(basis: string | null): string {
    this.stamp = nextStamp(this.stamp, basis, this.ports.clock.now());
    return formatStamp(this.stamp);
  }

  private setWrite(task: TaskModel, value: { title: string; completed: boolean; stamp: string; write: string }): void {
    task._setRaw('title', value.title);
    task._setRaw('completed', value.completed);
    task._setRaw('stamp', value.stamp);
    task._setRaw('device', this.ports.deviceId);
    task._setRaw('write', value.write);
  }

  private recordOp(label: WriteLabel, kind: 'create' | 'update' | 'delete', id: string, value: { title: string; completed: boolean }, deleted: boolean, basis: string | null, stamp: string): void {
    this.ports.trace.record('op', { device: this.ports.deviceId, write: label.write, kind, task: id, value: valueOf(value, deleted), basis, stamp });
  }
}
