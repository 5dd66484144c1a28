import type { BatchOperation, OperationResult } from './api-client.ts';
import type { HybridClock } from './clock.ts';
import type { StoreTx } from './local-store.ts';
import { compareWrites } from './lww.ts';
import type { DeltaPage, QueuedOp, RemoteTask, TaskRow } from './model.ts';
import { enqueue } from './queue.ts';

/** A row that took another write's value, for the `device.apply` trace event. */
export interface AppliedWrite {
  task: string;
  write: string | null;
  source: 'pull' | 'reply';
}

/** An op sent in a batch, with the body it went with. */
export interface SentOp {
  op: QueuedOp & { seq: number };
  body: BatchOperation;
}

/** How a pushed batch went, beyond what the store now holds. */
export interface PushOutcome {
  /** Some operations failed for a reason that may pass (5xx, 429): retry later. */
  transient: boolean;
}

/**
 * What an error reply to one operation means for its op (VERSION_CONFLICT, TASK_DELETED
 * and IDEMPOTENCY_KEY_REUSED are handled by code before this):
 * - `transient`: the server, not the write, is in trouble (5xx, 429 rate limited, 408), or
 *   the credentials are (401: the same op goes through once the user signs in again);
 *   retried with backoff.
 * - `gone` (404): the server has no such task for this user — it never had it or lost it
 *   (a task it deleted answers 409 TASK_DELETED, never 404). No retry or later edit of
 *   the task can reach it, so the op is dropped and the row shows the failure.
 * - `refused` (403 QUOTA_EXCEEDED, 400, 413, 422 and any other 4xx): the server will
 *   refuse the same body every time. The op is parked: kept, not retried by polls or
 *   backoff, until the user writes the task again (the quota may have room by then, or
 *   the new value is acceptable). A refusal is never recorded under the idempotency key,
 *   so the parked op may keep its key.
 */
export function refusalKind(status: number): 'transient' | 'gone' | 'refused' {
  if (status >= 500 || status === 429 || status === 408 || status === 401) return 'transient';
  if (status === 404) return 'gone';
  return 'refused';
}

/** A page at least this long is applied with one read of every row id. */
const BULK_PAGE = 50;

interface Merge {
  row: TaskRow;
  /** The row took the remote write's value. */
  took: boolean;
  /** The local value beats the remote one: the server must still learn it. */
  localWins: boolean;
}

function fromRemote(remote: RemoteTask): TaskRow {
  const { title, completed, deleted, write, stamp, device } = remote;
  return { id: remote.clientId, serverId: remote.id, title, completed, deleted, write, stamp, device, version: remote.version, status: 'synced' };
}

/** The row after seeing the server's version of its task (pure). */
export function mergeRemote(row: TaskRow | undefined, remote: RemoteTask): Merge {
  if (row === undefined) return { row: fromRemote(remote), took: true, localWins: false };
  const version = Math.max(row.version ?? 0, remote.version);
  const known = { ...row, serverId: remote.id, version };
  // Two tombstones: the task is gone either way; nothing to take or to send.
  if (row.deleted && remote.deleted) return { row: known, took: false, localWins: false };
  const order = compareWrites(remote, row);
  if (order > 0) return { row: { ...fromRemote(remote), id: row.id, version }, took: true, localWins: false };
  return { row: known, took: false, localWins: order < 0 };
}

/**
 * Applies what the server says to the local store, inside one transaction: delta pages,
 * the results of a pushed batch, and the op a winning local value still needs.
 */
export class Reconciler {
  readonly applied: AppliedWrite[] = [];

  constructor(
    private readonly tx: StoreTx,
    private readonly clock: HybridClock,
    private readonly newKey: () => string,
    /** Swappable for mutant engines only (see defects.ts). */
    private readonly merge: typeof mergeRemote = mergeRemote,
  ) {}

  /** Tasks settled by this transaction already, with the version they reached. */
  private readonly settled = new Map<string, number>();

  async applyPage(page: DeltaPage): Promise<void> {
    // A batch reply's delta repeats the tasks its results just settled.
    const tasks = page.tasks.filter((task) => (this.settled.get(task.clientId) ?? -1) < task.version);
    // Big pages (an initial sync) are mostly new tasks: learn which exist in one read.
    const known = tasks.length >= BULK_PAGE ? await this.tx.rowIds() : null;
    await Promise.all(tasks.map((task) => this.applyTask(task, 'pull', known)));
    if (page.deletedTasks !== undefined) await Promise.all(page.deletedTasks.map((tombstone) => this.applyTombstone(tombstone)));
    else await Promise.all(page.deletedTaskIds.map((id) => this.applyDeletedId(id)));
    this.tx.setMeta('cursor', page.nextCursor);
  }

  async applyResults(sent: readonly SentOp[], results: readonly OperationResult[]): Promise<PushOutcome> {
    const outcome: PushOutcome = { transient: false };
    await Promise.all(sent.map((entry, i) => this.applyResult(entry, results[i]!, outcome)));
    return outcome;
  }

  /** The clock has seen everything applied here; store it with the rows. */
  finish(): void {
    this.tx.setMeta('hlc', this.clock.state);
  }

  private async applyResult({ op }: SentOp, result: OperationResult, outcome: PushOutcome): Promise<void> {
    if (result.success && result.data !== null) {
      this.tx.deleteOp(op.seq);
      return this.applyTask(result.data, 'reply');
    }
    switch (result.code) {
      case 'VERSION_CONFLICT':
      case 'TASK_DELETED':
        // Decided: the server holds another value. LWW against it, below.
        this.tx.deleteOp(op.seq);
        if (result.serverData !== null) return this.applyTask(result.serverData, 'reply');
        return this.markFailed(op.task, result.code);
      case 'IDEMPOTENCY_KEY_REUSED':
        // The key's first body was applied under another shape; the value still has to go.
        this.tx.putOp({ ...op, key: this.newKey() });
        return this.markFailed(op.task, result.code);
      default: {
        const error = result.code ?? `HTTP_${result.status}`;
        switch (refusalKind(result.status)) {
          case 'transient':
            outcome.transient = true;
            return this.markFailed(op.task, error);
          case 'gone':
            this.tx.deleteOp(op.seq);
            return this.markFailed(op.task, error);
          case 'refused':
            return this.park(op, error);
        }
      }
    }
  }

  /**
   * A refused op waits for the user, visible as failed. If the user wrote the task again
   * while it was out, that write is the user acting on it: the refused op takes the later
   * writes in (as the queue coalesces them) and goes again, unparked. A never-synced create
   * that was deleted meanwhile leaves nothing to send.
   */
  private async park(op: SentOp['op'], error: string): Promise<void> {
    const ops = await this.tx.opsOf(op.task);
    const later = ops.filter((o) => o.seq !== undefined && o.seq > op.seq);
    if (later.length === 0) {
      this.tx.putOp({ ...op, sent: false, parked: true });
      return this.markFailed(op.task, error);
    }
    const next = later.reduce<QueuedOp[]>((queued, write) => enqueue(queued, write), [{ ...op, sent: false }]);
    this.tx.replaceOps(ops, next);
    const row = await this.tx.row(op.task);
    if (row !== undefined && next.length === 0) this.tx.putRow({ ...row, status: 'synced', error: undefined });
  }

  private async applyTask(remote: RemoteTask, source: AppliedWrite['source'], known: { has(id: string): boolean } | null = null): Promise<void> {
    this.clock.see(remote.stamp);
    const before = known !== null && !known.has(remote.clientId) ? undefined : await this.tx.row(remote.clientId);
    await this.settle(before, remote, source);
    this.settled.set(remote.clientId, remote.version);
  }

  /** A pulled tombstone in full: applied like any remote value, to rows this device holds. */
  private async applyTombstone(tombstone: RemoteTask): Promise<void> {
    this.clock.see(tombstone.stamp);
    const before = await this.tx.row(tombstone.clientId);
    if (before === undefined || before.deleted) return;
    await this.settle(before, tombstone, 'pull');
  }

  /** A pulled delete that names only the server id (servers that send no tombstones). */
  private async applyDeletedId(serverId: string): Promise<void> {
    const before = await this.tx.rowByServerId(serverId);
    if (before === undefined || before.deleted) return;
    const tombstone: RemoteTask = { ...before, id: serverId, clientId: before.id, version: before.version ?? 0, deleted: true, write: null };
    await this.settle(before, tombstone, 'pull');
  }

  private async settle(before: TaskRow | undefined, remote: RemoteTask, source: AppliedWrite['source']): Promise<void> {
    const { row, took, localWins } = this.merge(before, remote);
    const ops = before !== undefined && (before.status !== 'synced' || localWins) ? await this.tx.opsOf(row.id) : [];
    let remaining = ops;
    if (took) {
      // Unsent writes lost to the remote value: the server would only reject them.
      remaining = ops.filter((op) => op.sent);
      for (const op of ops) if (!op.sent && op.seq !== undefined) this.tx.deleteOp(op.seq);
      this.applied.push({ task: row.id, write: row.write, source });
    }
    if (localWins && remaining.length === 0) {
      const resend = this.resendOp(row);
      this.tx.putOp(resend);
      remaining = [resend];
    }
    const failed = before?.status === 'failed' && !took && source === 'pull';
    const status = remaining.length === 0 ? 'synced' : failed ? 'failed' : 'pending';
    // Only a row still failed keeps the failure's reason (stored rows drop an undefined one).
    this.tx.putRow({ ...row, status, error: status === 'failed' ? before?.error : undefined });
  }

  /** A new op carrying the row's value, for a local value the server has not taken. */
  private resendOp(row: TaskRow): QueuedOp {
    const { title, completed, stamp, device, write } = row;
    return { task: row.id, kind: row.deleted ? 'delete' : 'update', title, completed, stamp, device, write, key: this.newKey(), sent: false, attempts: 0 };
  }

  private async markFailed(task: string, error: string): Promise<void> {
    const row = await this.tx.row(task);
    if (row !== undefined) this.tx.putRow({ ...row, status: 'failed', error });
  }
}
