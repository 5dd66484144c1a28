import { FakeIDBFactory } from './fake-indexeddb.ts';
import type { Fence, Kernel } from '../kernel/index.ts';

/**
 * A device's disk: one IndexedDB factory (fake-indexeddb) that outlives crashes. Each
 * incarnation of the app gets a session over it that knows its open connections and
 * transactions, so a crash can roll back what was not committed — exactly what a killed
 * process leaves on a real disk — and `failWrites` can make the next transactions fail.
 */
export class DeviceStorage {
  /** fake-indexeddb's databases by name: the durable part, shared by every incarnation. */
  private readonly databases = new Map<string, unknown>();
  /** The factory of the incarnation alive now (each has its own; see `freshFactory`). */
  factory: IDBFactory = this.freshFactory();
  /** Read-write transactions still to fail (the `storage: { failWrites }` step). */
  failWrites = 0;
  /** Transactions failed on purpose so far. */
  failedWrites = 0;
  /** Told of each transaction failed on purpose, with how many are still to fail (for the trace). */
  onFailedWrite: ((left: number) => void) | null = null;

  session(kernel: Kernel, fence: Fence): StorageSession {
    this.factory = this.freshFactory();
    return new StorageSession(this, kernel, fence);
  }

  /**
   * At a crash: every transaction still open in any database is aborted and every connection
   * closed — those the app had, and those of an open the crash cut short (which the app
   * never saw), so that the next incarnation's opens and upgrades are not kept waiting.
   */
  releaseAll(): void {
    for (const database of this.databases.values()) {
      const raw = database as { transactions: IDBTransaction[]; connections: IDBDatabase[] };
      for (const tx of [...raw.transactions]) tryAbort(tx);
      for (const connection of [...raw.connections]) connection.close();
    }
  }

  /**
   * A factory over the device's databases with a connection queue of its own: an open the
   * dead incarnation left half done (its steps were discarded with it) must not block the
   * opens of the next one, as it would in a shared queue.
   */
  private freshFactory(): IDBFactory {
    const factory = new FakeIDBFactory();
    (factory as unknown as { _databases: Map<string, unknown> })._databases = this.databases;
    return factory;
  }
}

/** One incarnation's view of the disk: an IDBFactory whose work can be cut off at a crash. */
export class StorageSession {
  readonly indexedDB: IDBFactory;

  constructor(
    private readonly storage: DeviceStorage,
    private readonly kernel: Kernel,
    private readonly fence: Fence,
  ) {
    const factory = storage.factory;
    this.indexedDB = {
      open: (name: string, version?: number) => this.open(factory, name, version),
      deleteDatabase: (name: string) => factory.deleteDatabase(name),
      databases: () => factory.databases(),
      cmp: (a: unknown, b: unknown) => factory.cmp(a, b),
    };
  }

  /**
   * The process died: every transaction not committed is rolled back and every connection
   * closed, with the storage engine's follow-up work fenced to the dead incarnation.
   */
  crash(): void {
    this.kernel.runAs(this.fence, () => this.storage.releaseAll());
  }

  private open(factory: IDBFactory, name: string, version?: number): IDBOpenDBRequest {
    const request = version === undefined ? factory.open(name) : factory.open(name, version);
    request.addEventListener('success', () => this.failWritesOf(request.result));
    return request;
  }

  /** Routes the connection's read-write transactions through the `failWrites` fault. */
  private failWritesOf(db: IDBDatabase): void {
    const transaction = db.transaction.bind(db);
    db.transaction = ((stores: string | string[], mode?: IDBTransactionMode, options?: IDBTransactionOptions) => {
      const tx = transaction(stores, mode, options);
      if (mode === 'readwrite' && this.storage.failWrites > 0) this.failLater(tx);
      return tx;
    }) as IDBDatabase['transaction'];
  }

  /** Lets the transaction do its work, then aborts it before it commits, as a full disk would. */
  private failLater(tx: IDBTransaction): void {
    this.storage.failWrites--;
    this.kernel.schedule(0, () => {
      if (!tryAbort(tx)) {
        this.storage.failWrites++; // it had already committed: fail the next one instead
        return;
      }
      this.storage.failedWrites++;
      this.storage.onFailedWrite?.(this.storage.failWrites);
      Object.defineProperty(tx, 'error', { value: new DOMException('simulated storage failure', 'QuotaExceededError'), configurable: true });
    }, { fence: this.fence, async: true });
  }
}

function tryAbort(tx: IDBTransaction): boolean {
  try {
    tx.abort();
    return true;
  } catch {
    return false; // already committing or finished
  }
}
