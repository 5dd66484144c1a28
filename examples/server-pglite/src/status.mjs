import { parseSince, resolveSince, userCursor } from './delta.mjs';
import { iso } from './wire.mjs';

export const SERVER_VERSION = '1';

/** The facts of GET and HEAD /v1/sync/status, for the caller's `since` (cursor or timestamp). */
async function statusOf(ctx) {
  const since = parseSince(ctx.query.get('since'), 'query parameter since');
  // A cursor needs one row, read by one statement; a timestamp also reads the change log, in the same transaction.
  const run = since !== null && 'at' in since ? (work) => ctx.db.transaction(work) : (work) => work(ctx.db);
  return run(async (tx) => {
    const { cursor, lastChangeAt } = await userCursor(tx, ctx.user);
    const from = await resolveSince(tx, ctx.user, since, cursor);
    // Before any change the last sync is the epoch, as syncsim's own server says it.
    const last = lastChangeAt ?? new Date(0);
    return { cursor, hasUpdates: cursor > from, pendingChanges: cursor - from, lastSyncTimestamp: iso(last), lastSync: last.getTime() };
  });
}

/**
 * GET /v1/sync/status — the design's body (`lastSyncTimestamp`, `pendingChanges`,
 * `conflictsNeedingResolution`, `serverVersion`, `serverTimestamp`) and syncsim's
 * (`cursor`, `hasUpdates`, `serverTime` and `lastSync` in ms), as `syncsim serve` answers.
 */
export async function getStatus(ctx) {
  const status = await statusOf(ctx);
  const now = new Date();
  const payload = {
    lastSyncTimestamp: status.lastSyncTimestamp,
    pendingChanges: status.pendingChanges,
    // Every conflict is decided when the write arrives (version, LWW): none waits for a person.
    conflictsNeedingResolution: 0,
    serverVersion: SERVER_VERSION,
    serverTimestamp: iso(now),
    cursor: status.cursor,
    hasUpdates: status.hasUpdates,
    serverTime: now.getTime(),
    lastSync: status.lastSync,
  };
  return { status: 200, payload };
}

/** HEAD /v1/sync/status — headers only, so a client can skip an empty pull. */
export async function headStatus(ctx) {
  const status = await statusOf(ctx);
  const headers = {
    'x-has-updates': String(status.hasUpdates),
    'x-pending-count': String(status.pendingChanges),
    'x-last-sync': status.lastSyncTimestamp,
    'x-cursor': String(status.cursor),
    'x-server-version': SERVER_VERSION,
  };
  return { status: 200, headers };
}
