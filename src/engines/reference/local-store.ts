import { HLC_ZERO, type HlcState } from './hlc.ts';
import type { QueuedOp, TaskRow } from './model.ts';

const DB_NAME = 'syncsim-reference';
const DB_VERSION = 1;
const STORES = ['tasks', 'queue', 'meta'];

export type StoredOp = QueuedOp & { seq: number };

/**
 * A row as stored: `serverId` is '' until the server has named the task. A missing or null
 * index key is skipped by IndexedDB, but fake-indexeddb finds that out by raising and
 * catching a DOMException for every such write — the top cost of a bulk create. No server
 * id is empty, so looking one up never meets these rows.
 */
type StoredRow = Omit<TaskRow, 'serverId'> & { serverId: string };

/**
 * Always a fresh object of one shape, whatever the row went through (a `delete row.error`
 * leaves an object V8 keeps as a slow dictionary, and every row stored is cloned).
 */
function toStored(row: TaskRow): StoredRow {
  const stored: StoredRow = {
    id: row.id, serverId: row.serverId ?? '', title: row.title, completed: row.completed, deleted: row.deleted,
    write: row.write, stamp: row.stamp, device: row.device, version: row.version, status: row.status,
  };
  if (row.error !== undefined) stored.error = row.error;
  return stored;
}

function fromStored(row: StoredRow | undefined): TaskRow | undefined {
  return row === undefined ? undefined : { ...row, serverId: row.serverId === '' ? null : row.serverId };
}

/** What the engine keeps beside tasks and queue. */
export interface Meta {
  hlc: HlcState;
  /** The server change cursor every applied delta page has reached. */
  cursor: number;
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new DOMException('request failed', 'UnknownError'));
  });
}

/** Settles when the transaction commits or aborts; it never goes unhandled (see `run`). */
function settled(tx: IDBTransaction): Promise<void> {
  const done = new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = () => reject(tx.error ?? new DOMException('transaction aborted', 'AbortError'));
  });
  done.catch(() => undefined);
  return done;
}

function abortQuietly(tx: IDBTransaction): void {
  try {
    tx.abort();
  } catch {
    // Already finished or aborted.
  }
}

/** The engine's view of one open read-write transaction over every store. */
export class StoreTx {
  /**
   * What this transaction learnt about the queue, last first: `true` once it read the
   * queue empty of ops to send (parked ones do not count), `false` once it wrote to it;
   * undefined if it did neither.
   */
  queueEmpty: boolean | undefined;
  /** The seq of the first op this transaction read from the head of the queue. */
  queueHead: number | undefined;
  /** The rows this transaction stored, by id, as a read returns them: its own view over the committed rows. */
  readonly rowsPut = new Map<string, TaskRow>();
  private readonly tasks: IDBObjectStore;
  private readonly queue: IDBObjectStore;
  private readonly meta: IDBObjectStore;

  constructor(
    tx: IDBTransaction,
    /** Where the queue's live ops start, at most (see LocalStore.queueHead); 0 when unknown. */
    private readonly head: number,
    private readonly keyRange: typeof IDBKeyRange | null,
    /** The rows as committed (see LocalStore.rows). */
    private readonly committed: ReadonlyMap<string, TaskRow>,
  ) {
    this.tasks = tx.objectStore('tasks');
    this.queue = tx.objectStore('queue');
    this.meta = tx.objectStore('meta');
  }

  /** The row as this transaction sees it: what it stored, else what is committed (a copy, to change at will). */
  async row(id: string): Promise<TaskRow | undefined> {
    const row = this.rowsPut.get(id) ?? this.committed.get(id);
    return row === undefined ? undefined : { ...row };
  }

  /** Which row ids exist, as this transaction sees them. */
  async rowIds(): Promise<{ has(id: string): boolean }> {
    return { has: (id) => this.rowsPut.has(id) || this.committed.has(id) };
  }

  async rowByServerId(serverId: string): Promise<TaskRow | undefined> {
    return fromStored((await request(this.tasks.index('serverId').get(serverId))) as StoredRow | undefined);
  }

  putRow(row: TaskRow): void {
    const stored = toStored(row);
    this.tasks.put(stored);
    this.rowsPut.set(row.id, fromStored(stored)!);
  }

  /** The task's queued ops, in queue order. */
  opsOf(task: string): Promise<QueuedOp[]> {
    return request(this.queue.index('task').getAll(task)) as Promise<QueuedOp[]>;
  }

  /**
   * The first `count` ops in queue order. The read starts at the known head: fake-indexeddb
   * keeps deleted records as tombstones (until they are two thirds of the store), and a read
   * from the start would walk every op already sent and deleted.
   */
  async firstOps(count: number): Promise<StoredOp[]> {
    const range = this.head > 0 && this.keyRange !== null ? this.keyRange.lowerBound(this.head) : null;
    const ops = (await request(this.queue.getAll(range, count))) as StoredOp[];
    if (ops.length > 0) this.queueHead = ops[0]!.seq;
    if (ops.length < count && ops.every((op) => op.parked === true)) this.queueEmpty = true;
    return ops;
  }

  putOp(op: QueuedOp): void {
    this.queueEmpty = false;
    // An op stored under its old seq may sit before the head this transaction read.
    if (op.seq !== undefined && this.queueHead !== undefined) this.queueHead = Math.min(this.queueHead, op.seq);
    this.queue.put(op);
  }

  deleteOp(seq: number): void {
    this.queueEmpty = false;
    this.queue.delete(seq);
  }

  /** Stores `after` in place of `before` (one task's ops), touching only what changed. */
  replaceOps(before: readonly QueuedOp[], after: readonly QueuedOp[]): void {
    const kept = new Set(after.map((op) => op.seq));
    for (const op of before) if (op.seq !== undefined && !kept.has(op.seq)) this.deleteOp(op.seq);
    for (const op of after) if (!before.includes(op)) this.putOp(op);
  }

  setMeta<K extends keyof Meta>(key: K, value: Meta[K]): void {
    this.meta.put(value, key);
  }
}

/**
 * The device's IndexedDB database: `tasks` (by clientId, indexed by server id), `queue`
 * (auto-increment, so the key order is the queue order; indexed by task) and `meta`.
 * Every change is one transaction over all three, so a row, its queued op, the clock and
 * the cursor always commit together or not at all.
 */
export class LocalStore {
  /**
   * Whether the queue is known to hold nothing to send (parked ops aside): the last
   * committed transaction that looked at it or changed it found so. Lets an idle poll skip
   * a transaction that would only read nothing; unknown (false) in a fresh incarnation
   * until a transaction finds out.
   */
  queueKnownEmpty = false;
  /**
   * No live op has a smaller seq than this: the first op the last committed transaction read
   * from the head (or an op it stored again under an older seq). New ops always get larger
   * seqs (the key generator never goes back); a transaction that aborts teaches nothing (its
   * deletes are undone).
   */
  private queueHead = 0;
  /** `rows` as a list, until the next committed change. */
  private ordered: TaskRow[] | null = null;

  private constructor(
    private readonly db: IDBDatabase,
    private readonly keyRange: typeof IDBKeyRange | null,
    /**
     * The tasks store as committed, read from the disk once when the app opens it and kept
     * by committed transactions only (rows are never removed: a delete is a tombstone), so
     * it is what the disk holds; a crash loses it with the process, and the next launch
     * reads the disk again. Rows are read after every user write and on every pull, and
     * fake-indexeddb walks its records through nested generators and clones each one: for
     * 10,000 tasks that cost more than the rest of the sync.
     */
    private readonly rows: Map<string, TaskRow>,
  ) {}

  /** `keyRange` (the IDBKeyRange constructor) lets queue reads skip what was sent long ago. */
  static async open(indexedDB: IDBFactory, keyRange: typeof IDBKeyRange | null = null): Promise<LocalStore> {
    const open = indexedDB.open(DB_NAME, DB_VERSION);
    open.onupgradeneeded = () => {
      const db = open.result;
      const tasks = db.createObjectStore('tasks', { keyPath: 'id' });
      tasks.createIndex('serverId', 'serverId', { unique: false });
      const queue = db.createObjectStore('queue', { keyPath: 'seq', autoIncrement: true });
      queue.createIndex('task', 'task', { unique: false });
      db.createObjectStore('meta');
    };
    const db = await request(open);
    const stored = (await request(db.transaction('tasks', 'readonly').objectStore('tasks').getAll())) as StoredRow[];
    return new LocalStore(db, keyRange, new Map(stored.map((row) => [row.id, fromStored(row)!])));
  }

  async meta(): Promise<Meta> {
    const store = this.db.transaction('meta', 'readonly').objectStore('meta');
    const [hlc, cursor] = await Promise.all([request(store.get('hlc')), request(store.get('cursor'))]);
    return { hlc: (hlc as HlcState | undefined) ?? HLC_ZERO, cursor: (cursor as number | undefined) ?? 0 };
  }

  /** Every row, in the order the store first held them (read-only: the store's own objects). */
  async tasks(): Promise<readonly Readonly<TaskRow>[]> {
    this.ordered ??= [...this.rows.values()];
    return this.ordered;
  }

  async ops(): Promise<StoredOp[]> {
    return (await request(this.db.transaction('queue', 'readonly').objectStore('queue').getAll())) as StoredOp[];
  }

  opCount(): Promise<number> {
    return request(this.db.transaction('queue', 'readonly').objectStore('queue').count());
  }

  /**
   * Runs `work` in one read-write transaction and resolves once it has committed. If the
   * work throws or the transaction aborts (a full disk, a crash), nothing of it is kept.
   */
  async write<T>(work: (tx: StoreTx) => Promise<T>): Promise<T> {
    const tx = this.db.transaction(STORES, 'readwrite');
    const done = settled(tx);
    try {
      const view = new StoreTx(tx, this.queueHead, this.keyRange, this.rows);
      const result = await work(view);
      await done;
      if (view.rowsPut.size > 0) {
        for (const [id, row] of view.rowsPut) this.rows.set(id, row);
        this.ordered = null;
      }
      if (view.queueEmpty !== undefined) this.queueKnownEmpty = view.queueEmpty;
      // The transaction's own finding is the head now, lowered by any op it stored under an older seq.
      if (view.queueHead !== undefined) this.queueHead = view.queueHead;
      return result;
    } catch (error) {
      abortQuietly(tx);
      await done.catch(() => undefined);
      throw error;
    }
  }
}
