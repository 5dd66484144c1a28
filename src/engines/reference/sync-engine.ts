import type { ConnectionType, EnginePorts, TimerHandle } from '../ports.ts';
import { RequestFailure, type ApiClient, type BatchOperation } from './api-client.ts';
import { backoffDelay, localRetryDelay, retryAfterDelay } from './backoff.ts';
import type { HybridClock } from './clock.ts';
import { NO_DEFECTS, type Defects } from './defects.ts';
import type { LocalStore, StoreTx } from './local-store.ts';
import type { DeltaPage, QueuedOp, TaskRow } from './model.ts';
import { Reconciler, type AppliedWrite, type SentOp } from './reconcile.ts';

/** Local writes within this window go out in one sync. */
const DEBOUNCE_MS = 300;
const MAX_BATCH = 500;
/** Bounds on one sync, so a misbehaving server cannot keep it going forever. */
const MAX_PAGES = 1_000;
const MAX_PUSH_ROUNDS = 1_000;
/**
 * Polling period while the app is active, by connection (the design's adaptive interval).
 * Wifi polls faster than the design's 5 s: a change made elsewhere takes the writer's
 * debounce (0.3 s) and push, then up to one period, then this device's pull — with a 5 s
 * period that is over the design's own 5 s objective. At 3 s the worst case stays under it
 * (fuzzing with swarm found 4 s too slow at the tail).
 */
const POLL_MS: Record<ConnectionType, number | null> = { wifi: 3_000, cellular: 30_000, none: null };

type Trigger = 'launch' | 'write' | 'periodic' | 'connectivity' | 'foreground' | 'refresh' | 'explicit' | 'retry' | 'again';

/** Triggers worth cutting a backoff short for: the situation may have changed. */
// A user's own write is urgent too: after a failure streak the backoff may be long, and
// the user's action is the best moment to find out whether the network is back.
const URGENT = new Set<Trigger>(['launch', 'connectivity', 'foreground', 'refresh', 'explicit', 'write']);

/** What the sync engine tells the repository. */
export interface SyncObserver {
  /** Rows took the server's values (committed): for `device.apply` events. */
  applied(applied: AppliedWrite[]): void;
  /** A transaction applying what the server said is about to start (task-list defects only). */
  serverChangeStarting?(): Promise<void>;
  /** A sync finished without error (task-list defects only). */
  synced?(): void;
}

export interface SyncEngineOptions {
  ports: EnginePorts;
  store: LocalStore;
  api: ApiClient;
  clock: HybridClock;
  /** The server cursor stored by an earlier sync: where the next pull starts. */
  cursor: number;
  /** A fresh idempotency key, stored with the op it is made for. */
  newKey: () => string;
  observer: SyncObserver;
  defects?: Defects;
}

/**
 * The sync engine: one sync at a time per device; a sync pulls the delta since the stored
 * cursor (a periodic one asks `HEAD /v1/sync/status` first and pulls only on news), then
 * pushes the queue in batches. Failures retry with backoff (or after the
 * server's Retry-After); the queue is never dropped.
 */
export class SyncEngine {
  private running = false;
  /** A sync asked for while one ran: run again after it, keeping the most urgent reason. */
  private rerun: Trigger | null = null;
  private debounce: TimerHandle | undefined;
  private retry: { timer: TimerHandle | undefined; serverHold: boolean } | undefined;
  private poll: TimerHandle | undefined;
  /** Consecutive network failures (a server's Retry-After does not count: it says how long). */
  private failures = 0;
  /** Consecutive local storage failures: a disk's trouble says nothing of the network's. */
  private localFailures = 0;
  private inFlight: SentOp[] = [];

  private readonly ports: EnginePorts;
  private readonly store: LocalStore;
  private readonly api: ApiClient;
  private readonly clock: HybridClock;
  private cursor: number;
  private readonly newKey: () => string;
  private readonly observer: SyncObserver;
  private readonly defects: Defects;

  constructor(options: SyncEngineOptions) {
    this.ports = options.ports;
    this.store = options.store;
    this.api = options.api;
    this.clock = options.clock;
    this.cursor = options.cursor;
    this.newKey = options.newKey;
    this.observer = options.observer;
    this.defects = options.defects ?? NO_DEFECTS;
  }

  start(): void {
    this.ports.connectivity.subscribe((state) => {
      this.armPoll();
      if (state.reachable) this.request('connectivity');
    });
    this.ports.app.subscribe((event) => {
      if (event.type !== 'background') this.request(event.type);
    });
    this.armPoll();
    this.request('launch');
  }

  /** A local write was committed: sync soon, once a burst of writes is over. */
  written(): void {
    if (this.debounce !== undefined) return;
    this.debounce = this.ports.timers.setTimeout(() => {
      this.debounce = undefined;
      this.request('write');
    }, DEBOUNCE_MS);
  }

  /** The user asked for a sync (parked ops stay parked: only a write of their task sends them again). */
  explicit(): void {
    this.request('explicit');
  }

  private request(trigger: Trigger): void {
    if (this.retry !== undefined) {
      // A backoff is pending; only news that may have fixed the cause cuts it short, and
      // never the server's own Retry-After.
      if (this.retry.serverHold || !URGENT.has(trigger)) return;
      if (this.retry.timer !== undefined) this.ports.timers.clearTimeout(this.retry.timer);
      this.retry = undefined;
    }
    if (!this.canSync()) return;
    if (this.running) {
      if (this.rerun === null || URGENT.has(trigger)) this.rerun = trigger;
      return;
    }
    this.running = true;
    void this.run(trigger).finally(() => {
      this.running = false;
      this.armPoll();
      const again = this.rerun;
      this.rerun = null;
      if (again !== null) this.request(URGENT.has(again) ? again : 'again');
    });
  }

  /** Reachable, and the app may run: in the foreground or inside a background refresh window. */
  private canSync(): boolean {
    const { app, connectivity } = this.ports;
    return connectivity.current().reachable && (app.state() === 'foreground' || app.inRefreshWindow());
  }

  private async run(trigger: Trigger): Promise<void> {
    try {
      // A poll asks first whether there is anything to pull; any other reason pulls at once.
      if (trigger !== 'periodic' || (await this.fromValidCursor(() => this.api.hasUpdates(this.cursor)))) await this.pull();
      const transient = await this.push();
      if (transient) throw new RequestFailure('http', 503);
      this.failures = 0;
      this.localFailures = 0;
      this.observer.synced?.();
    } catch (error) {
      await this.failed(error);
    }
  }

  /** Delta pages since the cursor, each applied with the cursor in one transaction. */
  private async pull(): Promise<void> {
    for (let page = 0; page < MAX_PAGES; page++) {
      const pulled = await this.fromValidCursor(() => this.api.pull(this.cursor));
      const delta = this.defects.pulledPage ? this.defects.pulledPage(pulled) : pulled;
      await this.applyDelta(delta);
      if (!delta.hasMore) return;
    }
  }

  private async applyDelta(delta: DeltaPage): Promise<void> {
    if (this.observer.serverChangeStarting) await this.observer.serverChangeStarting();
    const applied = await this.store.write(async (tx) => {
      const reconciler = this.reconciler(tx);
      await reconciler.applyPage(delta);
      reconciler.finish();
      return reconciler.applied;
    });
    this.cursor = delta.nextCursor;
    this.observer.applied(applied);
  }

  /**
   * A server whose cursor is behind ours lost changes we had seen (a restart without its
   * data): it says CURSOR_AHEAD before doing anything, and we start over from 0 — every task
   * comes again and last-write-wins keeps what is newest.
   */
  private async fromValidCursor<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      if (!(error instanceof RequestFailure) || error.code !== 'CURSOR_AHEAD' || this.cursor === 0) throw error;
      this.cursor = 0;
      return request();
    }
  }

  /** Pushes batches until nothing is left to send; resolves to whether a transient failure was met. */
  private async push(): Promise<boolean> {
    for (let round = 0; round < MAX_PUSH_ROUNDS; round++) {
      if (this.store.queueKnownEmpty) return false;
      const sent = await this.store.write((tx) => this.claim(tx));
      if (sent.length === 0) return false;
      this.inFlight = sent;
      const reply = await this.fromValidCursor(() => this.api.batch(sent.map((s) => s.body), this.cursor));
      if (this.observer.serverChangeStarting) await this.observer.serverChangeStarting();
      const { outcome, applied } = await this.store.write(async (tx) => {
        const reconciler = this.reconciler(tx);
        const result = await reconciler.applyResults(sent, reply.results);
        await reconciler.applyPage(reply.delta);
        reconciler.finish();
        return { outcome: result, applied: reconciler.applied };
      });
      this.inFlight = [];
      this.cursor = reply.delta.nextCursor;
      this.observer.applied(applied);
      if (outcome.transient) return true;
      if (reply.delta.hasMore) await this.pull();
    }
    return false;
  }

  /**
   * Chooses the next batch in queue order — one op per task, so each op sees the server
   * state its predecessor left — and marks it sent in the same transaction, before it
   * leaves the device: from then on its body is fixed.
   */
  private async claim(tx: StoreTx): Promise<SentOp[]> {
    const selected: SentOp[] = [];
    const seen = new Set<string>();
    let after = 0;
    // Usually the first read fills the batch; parked ops or long per-task chains read further.
    for (let count = MAX_BATCH; selected.length < MAX_BATCH; count *= 4) {
      const ops = await tx.firstOps(count);
      const chunk = ops.filter((op) => op.seq > after);
      if (chunk.length === 0) break;
      after = chunk[chunk.length - 1]!.seq;
      const candidates = chunk.filter((op) => {
        if (seen.has(op.task)) return false; // a later op of a task waits for the earlier one
        seen.add(op.task);
        return op.parked !== true; // refused for good: waits for the user
      });
      // A create needs nothing from its row; the others need its server id.
      const rows = await Promise.all(candidates.map((op) => (op.kind === 'create' ? null : tx.row(op.task))));
      candidates.forEach((op, i) => {
        if (selected.length >= MAX_BATCH) return;
        const row = rows[i] ?? null;
        const version = op.sent ? (op.version ?? null) : (row?.version ?? null);
        const body = this.bodyOf(op, row, version);
        if (body === null) return; // its create is not confirmed yet: next round
        const claimed = { ...op, sent: true, attempts: op.attempts + 1, version };
        const entry = this.defects.claim ? this.defects.claim({ op: claimed, body }, { clock: this.clock, newKey: this.newKey }) : { op: claimed, body };
        tx.putOp(entry.op);
        selected.push(entry);
      });
      if (ops.length < count) break;
    }
    return selected;
  }

  private bodyOf(op: QueuedOp, row: TaskRow | null, version: number | null): BatchOperation | null {
    const { title, completed, stamp, device, write, key } = op;
    if (op.kind === 'create') {
      return { type: 'create', clientId: op.task, title, completed, stamp, device, write, idempotencyKey: key };
    }
    if (row === null || row.serverId === null) return null;
    if (op.kind === 'delete') return { type: 'delete', id: row.serverId, stamp, device, write, idempotencyKey: key };
    return { type: 'update', id: row.serverId, title, completed, ...(version !== null && { version }), stamp, device, write, idempotencyKey: key };
  }

  private reconciler(tx: StoreTx): Reconciler {
    return new Reconciler(tx, this.clock, this.newKey, this.defects.merge);
  }

  /** Schedules the retry; its timer keeps the run alive only while writes wait to be sent. */
  private async failed(error: unknown): Promise<void> {
    const retryAfter = error instanceof RequestFailure ? error.retryAfterMs : null;
    let delay: number;
    if (retryAfter !== null) delay = retryAfterDelay(retryAfter, this.ports.random);
    else if (error instanceof RequestFailure) delay = backoffDelay(++this.failures, this.ports.random);
    else delay = localRetryDelay(++this.localFailures, this.ports.random);
    const reason = error instanceof RequestFailure ? error.message : 'LOCAL_STORAGE';
    const pending = await this.markFailed(reason, error);
    if (this.defects.autoRetry !== undefined && !this.defects.autoRetry(error)) {
      // A defect: no retry is scheduled; only an urgent trigger (explicit, launch, ...) resumes.
      this.retry = { timer: undefined, serverHold: false };
      return;
    }
    const timer = this.ports.timers.setTimeout(() => {
      this.retry = undefined;
      this.request('retry');
    }, delay);
    if (!pending) timer.unref();
    this.retry = { timer, serverHold: retryAfter !== null };
  }

  /**
   * The tasks whose ops this sync failed to deliver show as failed until a later sync
   * settles them: the batch in flight, or else the head of the queue (bounded, so a long
   * queue costs no more than one batch). Resolves to whether any op waits to be sent;
   * a parked op does not (nothing will send it) and keeps the refusal as its row's error.
   */
  private async markFailed(reason: string, error?: unknown): Promise<boolean> {
    const sent = this.inFlight;
    this.inFlight = [];
    try {
      return await this.store.write(async (tx) => {
        this.defects.onFailedSync?.(tx, sent, error);
        const ops = (sent.length > 0 ? sent.map((s) => s.op) : await tx.firstOps(MAX_BATCH)).filter((op) => op.parked !== true);
        const tasks = [...new Set(ops.map((op) => op.task))];
        const rows = await Promise.all(tasks.map((task) => tx.row(task)));
        for (const row of rows) if (row !== undefined && row.status !== 'synced') tx.putRow({ ...row, status: 'failed', error: reason });
        return ops.length > 0;
      });
    } catch {
      return true; // the disk is failing too: assume work is left, retry it
    }
  }

  /** Polls while active, at the connection's period with jitter; never keeps a quiet run alive. */
  private armPoll(): void {
    if (this.poll !== undefined) this.ports.timers.clearTimeout(this.poll);
    this.poll = undefined;
    const state = this.ports.connectivity.current();
    const period = this.defects.pollMs ? this.defects.pollMs(state.connection) : POLL_MS[state.connection];
    if (!state.online || period === null) return;
    const delay = Math.round(period * (0.9 + this.ports.random() * 0.1));
    this.poll = this.ports.timers.setTimeout(() => {
      this.poll = undefined;
      this.request('periodic');
      this.armPoll();
    }, delay).unref();
  }
}
