import type { UserStore } from './store.ts';
import type { WireTask } from './types.ts';

export const DEFAULT_PAGE = 100;
export const MAX_PAGE = 1000;

/** One page of changes after a cursor: the body of a delta pull. */
export interface DeltaPage {
  /** Live tasks changed after the cursor, in change order. */
  tasks: WireTask[];
  /** Tasks deleted after the cursor, in change order. */
  deletedTaskIds: string[];
  /** The same tombstones in full (an extension): their stamp and the write that deleted them. */
  deletedTasks: WireTask[];
  /** The change seq of the last entry on this page, or `since` when the page is empty. */
  nextCursor: number;
  hasMore: boolean;
}

/**
 * Reads up to `limit` changed tasks after `since`. Pages end on a change seq, never a
 * timestamp, so many changes in the same millisecond are never skipped or repeated.
 */
export function readDelta(store: UserStore, since: number, limit: number): DeltaPage {
  const page: DeltaPage = { tasks: [], deletedTaskIds: [], deletedTasks: [], nextCursor: since, hasMore: false };
  let taken = 0;
  for (const { seq, task } of store.changesAfter(since)) {
    if (taken === limit) {
      page.hasMore = true;
      break;
    }
    if (task.deleted) {
      page.deletedTaskIds.push(task.id);
      page.deletedTasks.push(task);
    } else page.tasks.push(task);
    page.nextCursor = seq;
    taken += 1;
  }
  return page;
}
