import type { LocalTask } from '../engine.ts';
import type { ConnectionType, EnginePorts } from '../ports.ts';
import type { HybridClock } from './clock.ts';
import type { HlcState } from './hlc.ts';
import type { LocalStore, StoreTx } from './local-store.ts';
import type { DeltaPage, QueuedOp } from './model.ts';
import type { mergeRemote, SentOp } from './reconcile.ts';

/**
 * Injection points for mutant engines (src/engines/mutants): each swaps one part of the
 * reference engine for a defective one. Every field is optional and absent by default;
 * with none set, the reference engine behaves exactly as it would without this object.
 */
export interface Defects {
  /** Builds the device's clock from the stored HLC state (default: `new HybridClock(stored, wall)`). */
  clock?: (stored: HlcState, wall: () => number) => HybridClock;
  /** Runs once the local database is open, before the queue is resumed. */
  onOpen?: (store: LocalStore) => Promise<void>;
  /** Coalesces a write into its task's queued ops (default: queue.ts `enqueue`). */
  enqueue?: (ops: readonly QueuedOp[], incoming: QueuedOp) => QueuedOp[];
  /**
   * When set, a user write commits its row without its queued op; `enqueue` (which
   * stores the op in a transaction of its own, then asks for a sync) is handed to this.
   */
  deferQueue?: (enqueue: () => Promise<void>, ports: EnginePorts) => void;
  /** A user write whose local transaction failed is reported as done anyway. */
  ignoreWriteFailure?: boolean;
  /** Changes an op as it is claimed for sending (the stored op and the body sent). */
  claim?: (sent: SentOp, context: { clock: HybridClock; newKey: () => string }) => SentOp;
  /** Rewrites a pulled delta page before it is applied. */
  pulledPage?: (page: DeltaPage) => DeltaPage;
  /** Merges a server task into a local row (default: reconcile.ts `mergeRemote`). */
  merge?: typeof mergeRemote;
  /** Whether a failed sync schedules its own retry (default: always); without one, only an urgent trigger resumes. */
  autoRetry?: (error: unknown) => boolean;
  /** Runs inside the transaction that marks a failed sync's ops failed. */
  onFailedSync?: (tx: StoreTx, sent: readonly SentOp[], error: unknown) => void;
  /** Polling period by connection (default: the sync engine's adaptive interval). */
  pollMs?: (connection: ConnectionType) => number | null;
  /**
   * Builds, per engine instance, the task list `tasks()` returns, in place of the local
   * database read afresh at every call. A user's edit then fills the fields it leaves out
   * from the row as this list last showed it, as an edit screen opened from the list does.
   */
  taskList?: (database: () => Promise<LocalTask[]>) => TaskListView;
}

/** A task list that keeps state of its own, told what changes the database under it. */
export interface TaskListView {
  /** The list the user sees now. */
  read(): Promise<LocalTask[]>;
  /** A user's write has committed; it has not returned to the user yet. */
  written?(): void;
  /** The sync engine is about to commit what the server said (a pulled page, a batch reply). */
  serverChangeStarting?(): Promise<void>;
  /** A sync finished without error. */
  synced?(): void;
  /** The user pulled to refresh. */
  refreshed?(): void;
}

/** No defect: the reference engine. */
export const NO_DEFECTS: Defects = Object.freeze({});
