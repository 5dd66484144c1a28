/**
 * One app incarnation over unmodified RxDB: a database on the device's IndexedDB (Dexie
 * storage), a `tasks` collection with the LWW conflict handler, and RxDB's replication to
 * the §4 API. A user's write resolves once RxDB's storage write committed; RxDB's own
 * upstream then pushes it.
 */
import { createHash } from 'node:crypto';
import { createRxDatabase, type RxCollection, type RxDatabase, type RxDocument } from 'rxdb';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import type { ClientEngine, EnginePorts, QueuedOperation, Row, TimerHandle, WriteLabel } from 'syncsim';
import { incarnationName, renamingFactory } from './disk-names.ts';
import { localWriteError, LocalWriteError } from './local-write.ts';
import { lwwConflictHandler } from './lww.ts';
import { observeRun, register, releaseDead } from './open-databases.ts';
import { Pusher } from './push.ts';
import { replicateTasks, RETRY_MS, type TaskReplication } from './replication.ts';
import { ServerApi } from './server-api.ts';
import { StampClock } from './stamp-clock.ts';
import { TASK_SCHEMA, type TaskDoc, type TaskState } from './task-doc.ts';

type Tasks = RxCollection<TaskDoc>;

/** The design's adaptive interval: poll on wifi every 3 s, on cellular every 30 s, never without a connection. */
const POLL_MS = { wifi: 3_000, cellular: 30_000, none: null } as const;

const OPEN_ATTEMPTS = 5;
const OPEN_RETRY_MS = 200;

/** RxDB hashes schema and checkpoint names; synchronously, so that no hash finishes in real time. */
function sha256(input: string | ArrayBuffer | Blob): Promise<string> {
  if (typeof input !== 'string' && !(input instanceof ArrayBuffer)) return Promise.reject(new Error('the adapter hashes strings and ArrayBuffers only'));
  const data = typeof input === 'string' ? input : Buffer.from(input);
  return Promise.resolve(createHash('sha256').update(data).digest('hex'));
}

export class RxdbEngine implements ClientEngine {
  readonly ready: Promise<void>;
  private tasksCollection: Tasks | null = null;
  private replication: TaskReplication | null = null;
  private readonly api: ServerApi;
  private readonly pusher: Pusher;
  private readonly stamps: StampClock;
  private cursor = 0;
  private created = 0;
  private poll: TimerHandle | undefined;
  private retryHold: TimerHandle | undefined;
  /** A failed write of pulled documents: pull again when the retry hold ends. */
  private pullAgain = false;
  private stopped = false;
  /** The write labels of this incarnation's own writes (traced when made, not again when RxDB reports them). */
  private readonly localWrites = new Set<string>();
  /** The live documents, kept from RxDB's change stream (and each local write's result). */
  private readonly rows = new Map<string, TaskDoc>();
  /** This incarnation's writes (latest per task) whose push is not over. */
  private readonly pending = new Map<string, { kind: 'create' | 'update' | 'delete'; write: string }>();
  private firstPassDone = false;
  private readonly lwt = new Map<string, number>();
  private readonly unsubscribe: Array<() => void> = [];

  constructor(private readonly ports: EnginePorts) {
    this.api = new ServerApi(ports);
    this.stamps = new StampClock(() => ports.clock.now());
    this.pusher = new Pusher(
      this.api,
      () => this.cursor,
      (doc, status, code) => ports.trace.recordCustom('rxdb.dropped', { device: ports.deviceId, task: doc.id, status, code }),
      (doc) => {
        if (this.pending.get(doc.id)?.write === doc.write) this.pending.delete(doc.id);
      },
    );
    this.ready = this.open();
  }

  /**
   * Opens the database, again if a storage failure cut the opening short (RxDB writes its own
   * documents while it opens): a user would relaunch the app, the app retries.
   */
  private async open(): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.openOnce(attempt);
      } catch (error) {
        if (attempt + 1 >= OPEN_ATTEMPTS) throw error;
        this.ports.trace.recordCustom('rxdb.error', { device: this.ports.deviceId, message: `open: ${String(error).slice(0, 200)}` });
        await new Promise<void>((resolve) => this.ports.timers.setTimeout(resolve, OPEN_RETRY_MS));
      }
    }
  }

  private async openOnce(attempt: number): Promise<void> {
    const { ports } = this;
    const generation = releaseDead(ports.deviceId);
    const storage = getRxStorageDexie({ indexedDB: renamingFactory(ports.indexedDB), IDBKeyRange: ports.IDBKeyRange });
    const database: RxDatabase = await createRxDatabase({
      // A name of its own per attempt: RxDB keeps a failed attempt's name as taken.
      name: incarnationName(ports.deviceId, generation, ports.incarnation, attempt),
      storage,
      multiInstance: false,
      eventReduce: true,
      hashFunction: sha256,
    });
    // Released later (next launch, next run), this incarnation stops its loops; a failed attempt has none.
    register({ deviceId: ports.deviceId, generation, database, stop: () => this.tasksCollection?.database === database && this.stop() });
    const { tasks } = await database.addCollections({ tasks: { schema: TASK_SCHEMA, conflictHandler: lwwConflictHandler } });
    const collection = tasks as Tasks;
    for (const doc of await collection.find().exec()) {
      this.stamps.observe(doc.stamp);
      this.pusher.learn(doc);
      this.show(doc._data);
    }
    this.tasksCollection = collection;
    // Every value a row takes other than by this device's own writes (pulls, resolved conflicts): for the trace.
    const changes = collection.$.subscribe((event) => {
      const doc = event.documentData as TaskState;
      // Every state a row takes — a pull, or the server's state a push conflict brought — moves the stamp clock past it.
      this.stamps.observe(doc.stamp);
      this.show(doc);
      const before = event.previousDocumentData as TaskState | null | undefined;
      if (this.localWrites.has(doc.write) || (before != null && before.write === doc.write && before._deleted === doc._deleted)) return;
      ports.trace.record('device.apply', { device: ports.deviceId, task: doc.id, write: doc.write === '' ? null : doc.write, source: 'pull' });
    });
    this.unsubscribe.push(() => changes.unsubscribe());
    this.replication = replicateTasks(collection, this.api, this.pusher, {
      stale: (doc) => this.pusher.isStale(doc),
      pulled: (doc) => {
        observeRun();
        this.stamps.observe(doc.stamp);
        this.pusher.learn(doc);
      },
      cursor: (cursor) => {
        this.cursor = cursor;
      },
      error: (message, retried) => {
        ports.trace.recordCustom('rxdb.error', { device: ports.deviceId, message: message.slice(0, 300) });
        // A failed pull or write may have left RxDB's stored checkpoint behind the one we last
        // saw: until the next pull, polls ask from the start, so they do not report "no updates".
        this.cursor = 0;
        // RxDB retries its handlers itself; a failed write of pulled documents it only reports:
        // the app pulls again after the same wait (not at the next poll, seconds later).
        this.holdForRetry(!retried);
      },
    });
    void this.replication.state.awaitInitialReplication().then(() => {
      this.firstPassDone = true;
    }, () => undefined);
    this.unsubscribe.push(
      ports.connectivity.subscribe((state) => {
        if (state.online) this.sync();
        else this.armPoll();
      }),
      ports.app.subscribe((event) => {
        if (event.type !== 'background') this.sync();
      }),
    );
    this.armPoll();
  }

  async create(value: { title: string; completed?: boolean }, label: WriteLabel): Promise<string> {
    const collection = await this.collection();
    this.created += 1;
    const id = `${this.ports.deviceId}-${this.ports.incarnation}-${this.created}`;
    const doc: TaskDoc = {
      id, serverId: '', title: value.title, completed: value.completed ?? false, version: 0,
      stamp: this.stamps.next(), device: this.ports.deviceId, write: label.write,
    };
    this.localWrites.add(label.write);
    let inserted: RxDocument<TaskDoc>;
    try {
      inserted = await collection.insert(doc);
    } catch (error) {
      throw localWriteError('create', error);
    }
    this.show(inserted._data);
    this.recordOp('create', doc, false, null);
    return id;
  }

  async update(id: string, change: { title?: string; completed?: boolean }, label: WriteLabel): Promise<void> {
    const doc = await this.live(id);
    const basis = doc.write || null;
    // An edit is made over the row as shown: its stamp must beat the row's, whichever way the row got it.
    this.stamps.observe(doc.stamp);
    const patch = {
      ...(change.title !== undefined && { title: change.title }),
      ...(change.completed !== undefined && { completed: change.completed }),
      stamp: this.stamps.next(), device: this.ports.deviceId, write: label.write,
    };
    let written: RxDocument<TaskDoc>;
    this.localWrites.add(label.write);
    try {
      written = await doc.incrementalPatch(patch);
    } catch (error) {
      throw localWriteError('update', error);
    }
    this.show(written._data);
    this.recordOp('update', written.toJSON() as TaskDoc, false, basis);
  }

  /** One write: the delete carries its stamp (RxDB's remove() alone would keep the old one). */
  async delete(id: string, label: WriteLabel): Promise<void> {
    const doc = await this.live(id);
    const basis = doc.write || null;
    this.stamps.observe(doc.stamp);
    const stamp = this.stamps.next();
    let written: RxDocument<TaskDoc>;
    this.localWrites.add(label.write);
    try {
      written = await doc.incrementalModify((data) => {
        data.stamp = stamp;
        data.device = this.ports.deviceId;
        data.write = label.write;
        (data as TaskDoc & { _deleted: boolean })._deleted = true;
        return data;
      });
    } catch (error) {
      throw localWriteError('delete', error);
    }
    this.show(written._data);
    this.recordOp('delete', written.toJSON() as TaskDoc, true, basis);
  }

  sync(): void {
    this.replication?.resync();
    this.armPoll();
  }

  /**
   * What the user sees: the collection as RxDB's change stream has shown it, like the live
   * query a UI holds (re-running a query over IndexedDB at every read costs a scan).
   */
  async tasks(): Promise<Row[]> {
    observeRun();
    await this.collection();
    return [...this.rows.values()].map((doc) => ({
      id: doc.id, clientId: doc.id, serverId: doc.serverId === '' ? null : doc.serverId,
      title: doc.title, completed: doc.completed, write: doc.write === '' ? null : doc.write,
    }));
  }

  /** Keeps the later of two states of a row: RxDB's `_meta.lwt` grows with every write it makes. */
  private show(doc: TaskState & { _meta?: { lwt: number } }): void {
    const seen = this.lwt.get(doc.id);
    const lwt = doc._meta?.lwt ?? Number.POSITIVE_INFINITY;
    if (seen !== undefined && lwt < seen) return;
    this.lwt.set(doc.id, lwt);
    if (doc._deleted) this.rows.delete(doc.id);
    else this.rows.set(doc.id, doc);
  }

  /**
   * What is not yet on the server, as far as this incarnation knows: its writes whose push is
   * not over and — until RxDB's first pass after launch is done (it compares every document
   * with its last known server state and pushes what differs) — one marker for whatever an
   * earlier incarnation left, since RxDB has no public API for its upstream backlog.
   */
  async queue(): Promise<QueuedOperation[]> {
    const ops: QueuedOperation[] = [...this.pending].map(([task, { kind, write }]) => ({ kind, task, write, attempts: 0 }));
    if (!this.firstPassDone) ops.push({ kind: 'update', task: '(replication starting)', write: null, attempts: 0 });
    return ops;
  }

  private async collection(): Promise<Tasks> {
    await this.ready;
    if (this.tasksCollection === null) throw new Error('the tasks collection is not open');
    return this.tasksCollection;
  }

  private async live(id: string): Promise<RxDocument<TaskDoc>> {
    const collection = await this.collection();
    const doc = await collection.findOne(id).exec();
    if (doc === null) throw new LocalWriteError(`no task ${id} on this device`);
    return doc;
  }

  private recordOp(kind: 'create' | 'update' | 'delete', doc: TaskDoc, deleted: boolean, basis: string | null): void {
    const { trace, deviceId } = this.ports;
    const value = { title: doc.title, completed: doc.completed, deleted };
    const queued = this.pending.get(doc.id);
    this.pending.set(doc.id, { kind: queued?.kind === 'create' && kind !== 'delete' ? 'create' : kind, write: doc.write });
    trace.record('op', { device: deviceId, write: doc.write, kind, task: doc.id, value, basis, stamp: doc.stamp });
    trace.record('device.apply', { device: deviceId, task: doc.id, write: doc.write, source: 'local' });
  }

  /** The next poll, at the connection's period; it never keeps a quiet run alive. */
  private armPoll(): void {
    if (this.poll !== undefined) this.ports.timers.clearTimeout(this.poll);
    this.poll = undefined;
    const period = POLL_MS[this.ports.connectivity.current().connection];
    if (this.stopped || period === null) return;
    this.poll = this.ports.timers.setTimeout(() => {
      this.poll = undefined;
      observeRun();
      void this.pollOnce().finally(() => this.armPoll());
    }, period).unref();
  }

  /** A poll asks the server whether anything changed after our cursor (HEAD, no body) and pulls only then. */
  private async pollOnce(): Promise<void> {
    try {
      const reply = await this.api.call('HEAD', `/v1/sync/status?since=${this.cursor}`);
      if (reply.status === 200 && reply.header('x-has-updates') === 'false') return;
    } catch {
      // No answer: let RxDB's pull find out (and retry) for itself.
    }
    this.replication?.resync();
  }

  /**
   * RxDB retries a failed pull or push after `retryTime` on a plain setTimeout, which does
   * not keep a simulated run alive; the app knows work is pending and keeps it alive until
   * the retry is due (a real app's process would simply stay up). An error RxDB does not
   * retry (`pullAgain`) is retried by the app then, through a RESYNC.
   */
  private holdForRetry(pullAgain: boolean): void {
    this.pullAgain ||= pullAgain;
    if (this.stopped || this.retryHold !== undefined) return;
    this.retryHold = this.ports.timers.setTimeout(() => {
      this.retryHold = undefined;
      if (!this.pullAgain) return;
      this.pullAgain = false;
      this.replication?.resync();
    }, RETRY_MS + 1);
  }

  private stop(): void {
    this.stopped = true;
    if (this.poll !== undefined) this.ports.timers.clearTimeout(this.poll);
    for (const stop of this.unsubscribe.splice(0)) stop();
  }
}
