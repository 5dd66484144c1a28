import type { LocalTask } from '../engine.ts';
import type { TaskListView } from '../reference/defects.ts';
import { defineMutant } from './define.ts';

/**
 * Models reads spread over a pool of two database connections, one of which holds an
 * open read snapshot (SQLite WAL, a read transaction left open). The app renews that
 * snapshot after its own saves and on pull-to-refresh, and on the sync engine's "will
 * change" notification — sent before the sync transaction commits instead of after, so
 * the renewed snapshot misses the very change it was told about. Reads alternate between
 * the live connection and the snapshot: a change pulled from another device shows,
 * vanishes or reverts on the next read, and shows again. The device's own writes are
 * always in the snapshot, and a refresh makes it whole.
 */
class StaleReplicaList implements TaskListView {
  private replica: LocalTask[] | null = null;
  private reads = 0;
  /** Bumped by each local write, so a snapshot taken before one is not kept. */
  private generation = 0;

  constructor(private readonly database: () => Promise<LocalTask[]>) {}

  async read(): Promise<LocalTask[]> {
    // DEFECT: every other read goes to the snapshot connection.
    if (this.reads++ % 2 === 0) return this.database();
    if (this.replica === null) await this.renew();
    return (this.replica ?? (await this.database())).map((row) => ({ ...row }));
  }

  written(): void {
    this.renewLater();
  }

  refreshed(): void {
    this.renewLater();
  }

  async serverChangeStarting(): Promise<void> {
    // DEFECT: renewed before the sync's transaction, so the snapshot lacks its change.
    await this.renew();
  }

  /** Renewed at the next read from the snapshot, which then holds everything committed before it. */
  private renewLater(): void {
    this.replica = null;
    this.generation++;
  }

  private async renew(): Promise<void> {
    const generation = this.generation;
    const rows = await this.database();
    if (generation === this.generation) this.replica = rows;
  }
}

export const staleReadReplica = defineMutant(
  'stale-read-replica',
  'reads alternate between the database and a snapshot renewed after local writes and just before each sync transaction: a pulled change shows, then disappears or reverts on the next read',
  'monotonic-reads: a read shows a task at an older value (or live again, or missing) after an earlier read showed the newer one',
  { taskList: (database) => new StaleReplicaList(database) },
);
