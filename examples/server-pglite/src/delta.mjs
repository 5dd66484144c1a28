import { ApiError, badRequest } from './errors.mjs';
import { iso, wireTask } from './wire.mjs';

export const DEFAULT_PAGE = 100;
export const MAX_PAGE = 1000;

/**
 * A `since` as the client sent it: a change-sequence cursor (digits; the recommended form)
 * or the design's ISO-8601 timestamp. Returns `{ cursor }`, `{ at: Date }` or null (none).
 */
export function parseSince(text, name) {
  if (text === undefined || text === null || text === '') return null;
  if (/^\d{1,15}$/.test(text)) return { cursor: Number(text) };
  const ms = /^\d{4}-\d\d-\d\dT/.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(ms)) throw badRequest(`${name} must be a cursor (an integer) or an ISO-8601 timestamp, got "${text}"`);
  return { at: new Date(ms) };
}

export function parseLimit(value, name) {
  if (value === undefined || value === null) return DEFAULT_PAGE;
  const n = typeof value === 'number' ? value : /^\d{1,6}$/.test(value) ? Number(value) : Number.NaN;
  if (Number.isSafeInteger(n) && n >= 1 && n <= MAX_PAGE) return n;
  throw badRequest(`${name} must be an integer from 1 to ${MAX_PAGE}, got "${String(value)}"`);
}

/** The user's change sequence and the time of its latest change, read in the caller's transaction. */
export async function userCursor(tx, user) {
  const { rows } = await tx.query('select change_seq, last_change_at from users where name = $1', [user]);
  return { cursor: rows[0].change_seq, lastChangeAt: rows[0].last_change_at };
}

/**
 * The cursor a `since` stands for. A timestamp is served from the change log: the cursor
 * just before the first change logged at or after it (a repeat rather than a skip for
 * changes in the same millisecond). A cursor ahead of the server's is 409 CURSOR_AHEAD, so
 * a client whose server lost data starts over.
 */
export async function resolveSince(tx, user, since, current) {
  if (since === null) return 0;
  if ('at' in since) {
    const { rows } = await tx.query('select min(seq) as first from changes where user_name = $1 and changed_at >= $2', [user, since.at]);
    return rows[0].first === null ? current : rows[0].first - 1;
  }
  if (since.cursor > current) {
    throw new ApiError(409, 'CURSOR_AHEAD', `cursor ${since.cursor} is ahead of the server's ${current}; pull again from 0`, { cursor: current });
  }
  return since.cursor;
}

/**
 * One page of changes after `since`, read in the caller's transaction so the page and the
 * cursor it ends on are one snapshot: the page ends on the change number of its last task,
 * never a timestamp, so concurrent writes are neither skipped nor repeated. Each task
 * appears once, at its latest change. The page shrinks to fit `maxBytes` (at least one task).
 */
export async function readDelta(tx, user, since, limit, maxBytes) {
  const { rows } = await tx.query('select * from tasks where user_name = $1 and seq > $2 order by seq limit $3', [user, since, limit + 1]);
  let hasMore = rows.length > limit;
  let taken = rows.slice(0, limit).map((row) => ({ seq: row.seq, task: wireTask(row), size: JSON.stringify(wireTask(row)).length * 2 + 32 }));
  let bytes = taken.reduce((sum, t) => sum + t.size, 0);
  while (taken.length > 1 && bytes > maxBytes) {
    bytes -= taken.pop().size;
    hasMore = true;
  }
  const page = { tasks: [], deletedTaskIds: [], deletedTasks: [], nextCursor: since, hasMore };
  for (const { seq, task } of taken) {
    if (task.deleted) {
      page.deletedTaskIds.push(task.id);
      page.deletedTasks.push(task);
    } else page.tasks.push(task);
    page.nextCursor = seq;
  }
  return page;
}

/** The design's `syncMetadata` beside syncsim's fields. */
export function syncMetadata(page, now) {
  return { serverTimestamp: iso(now), hasMore: page.hasMore, cursor: page.nextCursor };
}
