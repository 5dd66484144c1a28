/**
 * When the app syncs, as a team following the design would run WatermelonDB's
 * `synchronize()` (the library has no live replication: the app decides when): soon after
 * every local write, on pull-to-refresh, when the network comes back, on foreground and in
 * a background refresh window, and every few seconds while idle. Never two at once on one
 * device (WatermelonDB forbids it): a request during a sync runs right after it. A failed
 * sync backs off exponentially with jitter, at least as long as the server's Retry-After.
 */
import type { EnginePorts, TimerHandle } from 'syncsim';
import { ApiFailure } from './api.ts';

/** One synchronize; resolves to whether work is left (local changes, or a pull that took only part of the backlog). */
export type SyncRound = () => Promise<boolean>;

export const SETTINGS = {
  /** Coalesces writes made together into one sync. */
  writeDelayMs: 50,
  /** Idle poll for other devices' changes; well under the design's 5 s sync objective. */
  pollMs: 2_000,
  /** Right after a sync that left work. */
  continueMs: 100,
  backoffBaseMs: 500,
  backoffMaxMs: 30_000,
  retryAfterSpreadMs: 250,
};

export class SyncLoop {
  private running = false;
  private requested = false;
  private failures = 0;
  private timer: TimerHandle | undefined;

  constructor(private readonly ports: EnginePorts, private readonly round: SyncRound) {}

  /** Sync now (or right after the sync running now). */
  now(): void {
    if (this.running) {
      this.requested = true;
      return;
    }
    if (!this.ports.connectivity.current().online) return;
    this.ports.timers.clearTimeout(this.timer);
    this.timer = undefined;
    this.running = true;
    this.round().then(
      (workLeft) => this.finished(workLeft, null),
      (error: unknown) => this.finished(true, error),
    );
  }

  /** Sync after `ms` unless something asks sooner; `keepAlive` when the run must wait for it. */
  later(ms: number, keepAlive: boolean): void {
    if (this.running) {
      this.requested = true;
      return;
    }
    this.ports.timers.clearTimeout(this.timer);
    this.timer = this.ports.timers.setTimeout(() => this.now(), ms);
    if (!keepAlive) this.timer.unref();
  }

  private finished(workLeft: boolean, error: unknown): void {
    this.running = false;
    if (error !== null && !(error instanceof ApiFailure)) {
      // Not the network or the server: a bug here or in the library, for the run to report.
      throw error;
    }
    if (this.requested) {
      this.requested = false;
      this.now();
      return;
    }
    if (!this.ports.connectivity.current().online) return;
    if (error === null) {
      this.failures = 0;
      this.later(workLeft ? SETTINGS.continueMs : SETTINGS.pollMs, workLeft);
      return;
    }
    this.failures += 1;
    this.later(this.backoff((error as ApiFailure).retryAfterMs), true);
  }

  /**
   * When the server says when to come back (429/503 Retry-After), then, spread by up to a
   * quarter second; else equal jitter over an exponential ceiling. The server's word wins
   * over the ceiling: a client that kept doubling through an outage would come back up to
   * 30 s after it ended (regression: docs/analyses/watermelondb/fixed-backoff-past-retry-after.yaml).
   */
  private backoff(retryAfterMs: number | null): number {
    if (retryAfterMs !== null) return Math.ceil(retryAfterMs + this.ports.random() * SETTINGS.retryAfterSpreadMs);
    const ceiling = Math.min(SETTINGS.backoffMaxMs, SETTINGS.backoffBaseMs * 2 ** Math.min(this.failures - 1, 16));
    return Math.floor(ceiling / 2 + (this.ports.random() * ceiling) / 2);
  }
}
