import type { UserStore } from './store.ts';
import { taskJson, type TaskJson } from './wire.ts';

export const DEFAULT_PAGE = 100;
export const MAX_PAGE = 1000;

/** One page of changes after a cursor: the body of a delta pull, in wire form. */
export interface DeltaPage {
  /** Live tasks changed after the cursor, in change order. */
  tasks: TaskJson[];
  /** Tasks deleted after the cursor, in change order. */
  deletedTaskIds: string[];
  /** The same tombstones in full (an extension): their stamp and the write that deleted them. */
  deletedTasks?: TaskJson[];
  /** The change seq of the last entry on this page, or `since` when the page is empty. */
  nextCursor: number;
  hasMore: boolean;
}

export interface DeltaRequest {
  since: number;
  limit: number;
  /** JSON bytes the page may take; it always holds at least one change, so a pull makes progress. */
  maxBytes: number;
  /** Whether to list tombstones in full (`deletedTasks`) beside their ids. */
  withDeletedTasks: boolean;
}

/** A page and where the rest begins: the server time of the first change left off, if any. */
export interface DeltaRead {
  page: DeltaPage;
  restFrom: number | null;
}

/**
 * Reads up to `limit` changed tasks after `since`, as many as fit in `maxBytes`. Pages end
 * on a change seq, never a timestamp, so many changes in the same millisecond are never
 * skipped or repeated.
 */
export function readDelta(store: UserStore, request: DeltaRequest): DeltaRead {
  const { since, limit, maxBytes, withDeletedTasks } = request;
  const page: DeltaPage = { tasks: [], deletedTaskIds: [], ...(withDeletedTasks && { deletedTasks: [] }), nextCursor: since, hasMore: false };
  let taken = 0;
  let bytes = 0;
  for (const { seq, task } of store.changesAfter(since)) {
    const json = taskJson(task);
    const size = entryBytes(json, withDeletedTasks);
    if (taken === limit || (taken > 0 && bytes + size > maxBytes)) {
      page.hasMore = true;
      return { page, restFrom: store.timeOf(seq) };
    }
    if (task.deleted) {
      page.deletedTaskIds.push(task.id);
      page.deletedTasks?.push(json);
    } else page.tasks.push(json);
    page.nextCursor = seq;
    taken += 1;
    bytes += size;
  }
  return { page, restFrom: null };
}

/** The JSON bytes one change adds to a page (with its separators). */
function entryBytes(json: TaskJson, withDeletedTasks: boolean): number {
  const task = Buffer.byteLength(JSON.stringify(json)) + 1;
  if (!json.deleted) return task;
  return Buffer.byteLength(JSON.stringify(json.id)) + 1 + (withDeletedTasks ? task : 0);
}
