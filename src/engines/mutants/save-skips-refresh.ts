import type { LocalTask } from '../engine.ts';
import type { TaskListView } from '../reference/defects.ts';
import { defineMutant } from './define.ts';

/**
 * Models a list screen backed by a query cache that is invalidated when a sync completes
 * and when the user pulls to refresh, while the app's own save forgets to (react-query's
 * missing `invalidateQueries` in a mutation's `onSuccess`): a user's edit lands in the
 * database but the list keeps showing what it loaded before, until the next sync finishes.
 */
class SyncRefreshedList implements TaskListView {
  private cache: LocalTask[] | null = null;
  /** Bumped by each invalidation, so a load that started before one is not kept. */
  private generation = 0;

  constructor(private readonly database: () => Promise<LocalTask[]>) {}

  async read(): Promise<LocalTask[]> {
    if (this.cache !== null) return this.cache.map((row) => ({ ...row }));
    const generation = this.generation;
    const rows = await this.database();
    if (generation === this.generation) this.cache = rows.map((row) => ({ ...row }));
    return rows;
  }

  // DEFECT: no `written()`: a local write leaves the cached list as it was.

  synced(): void {
    this.invalidate();
  }

  refreshed(): void {
    this.invalidate();
  }

  private invalidate(): void {
    this.cache = null;
    this.generation++;
  }
}

export const saveSkipsRefresh = defineMutant(
  'save-skips-refresh',
  'the task list is a cache refreshed when a sync completes or the user pulls to refresh, not after the user saves: a new task is missing and an edited one shows its old value until the next sync',
  "read-your-writes: after a user's write returns, the list shows an older value of the task or misses it",
  { taskList: (database) => new SyncRefreshedList(database) },
);
