import type { SyncStatus } from '../engine.ts';

/**
 * A row of the local `tasks` store. Its key is the task's clientId on every device (the
 * creating device's id for it), so a task pulled from the server can never become a second row.
 */
export interface TaskRow {
  id: string;
  serverId: string | null;
  title: string;
  completed: boolean;
  deleted: boolean;
  /** The write whose value the row holds. */
  write: string | null;
  /** The LWW stamp of that write and the device that made it. */
  stamp: string;
  device: string;
  /** The last server version this row has reconciled with (sent with updates). */
  version: number | null;
  status: SyncStatus;
  error?: string;
}

export type OpKind = 'create' | 'update' | 'delete';

/** One entry of the persistent `queue` store: a write still to be confirmed by the server. */
export interface QueuedOp {
  /** Queue position (the store's auto-increment key); absent until stored. */
  seq?: number;
  /** The task's clientId (row id). */
  task: string;
  kind: OpKind;
  title: string;
  completed: boolean;
  stamp: string;
  /** The device that made the write (the stamp's tie-breaker). */
  device: string;
  write: string | null;
  /** Made once when the op is queued and reused on every retry, so a retry is never a second write. */
  key: string;
  /** Sent at least once: the server may have applied it, so its body must never change. */
  sent: boolean;
  attempts: number;
  /** The server version the first send carried; a retry must send the same body. */
  version?: number | null;
  /**
   * The server refused it for good (quota, a bad request): it stays, unsent, as the task's
   * only op, but is not sent again until the user writes the task again (that write folds
   * into it and clears this). Not pending: `queue()` does not report it.
   */
  parked?: boolean;
}

/** A task as the server sends it (`write` may be absent on older servers). */
export interface RemoteTask {
  id: string;
  clientId: string;
  title: string;
  completed: boolean;
  version: number;
  stamp: string;
  device: string;
  deleted: boolean;
  write: string | null;
}

/** A page of changes after a cursor. */
export interface DeltaPage {
  tasks: RemoteTask[];
  deletedTaskIds: string[];
  /** The same tombstones in full, when the server sends them: they name the deleting write. */
  deletedTasks?: RemoteTask[];
  nextCursor: number;
  hasMore: boolean;
}
