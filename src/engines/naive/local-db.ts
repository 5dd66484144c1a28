import type { NaiveTask } from './task.ts';

/** A queued operation, as the design document's SyncOperation. */
export interface SyncOperation {
  id: string;
  type: 'create' | 'update' | 'delete';
  taskId: string;
  taskData: NaiveTask | null;
  createdAt: number;
  retryCount: number;
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function committed(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = () => reject(tx.error ?? new DOMException('transaction aborted', 'AbortError'));
    tx.onerror = () => undefined;
  });
}

/**
 * The design document's LocalDataSource over IndexedDB: every call is its own
 * transaction — so a task and its queued operation are written separately.
 */
export class LocalDataSource {
  private readonly db: Promise<IDBDatabase>;

  constructor(indexedDB: IDBFactory) {
    const open = indexedDB.open('naive', 1);
    open.onupgradeneeded = () => {
      open.result.createObjectStore('tasks', { keyPath: 'id' });
      open.result.createObjectStore('queue', { keyPath: 'id' });
    };
    this.db = request(open);
  }

  async getAllTasks(): Promise<NaiveTask[]> {
    return (await this.read('tasks', (store) => store.getAll())) as NaiveTask[];
  }

  async getTask(id: string): Promise<NaiveTask | undefined> {
    return (await this.read('tasks', (store) => store.get(id))) as NaiveTask | undefined;
  }

  save(task: NaiveTask): Promise<void> {
    return this.write('tasks', (store) => store.put(task));
  }

  update(task: NaiveTask): Promise<void> {
    return this.write('tasks', (store) => store.put(task));
  }

  /** The document deletes the row outright: no tombstone is kept. */
  delete(id: string): Promise<void> {
    return this.write('tasks', (store) => store.delete(id));
  }

  saveSyncOperation(op: SyncOperation): Promise<void> {
    return this.write('queue', (store) => store.put(op));
  }

  updateSyncOperation(op: SyncOperation): Promise<void> {
    return this.write('queue', (store) => store.put(op));
  }

  deleteSyncOperation(id: string): Promise<void> {
    return this.write('queue', (store) => store.delete(id));
  }

  async getPendingSyncOperations(): Promise<SyncOperation[]> {
    const ops = (await this.read('queue', (store) => store.getAll())) as SyncOperation[];
    return ops.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
  }

  async removePendingSyncForTask(taskId: string): Promise<void> {
    const ops = await this.getPendingSyncOperations();
    for (const op of ops) if (op.taskId === taskId) await this.deleteSyncOperation(op.id);
  }

  private async read(name: string, work: (store: IDBObjectStore) => IDBRequest): Promise<unknown> {
    const db = await this.db;
    return request(work(db.transaction(name, 'readonly').objectStore(name)));
  }

  private async write(name: string, work: (store: IDBObjectStore) => IDBRequest): Promise<void> {
    const db = await this.db;
    const tx = db.transaction(name, 'readwrite');
    work(tx.objectStore(name));
    await committed(tx);
  }
}
