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
    return { cursor, hasUpdates: cursor > from, lastSync: lastChangeAt === null ? null : iso(lastChangeAt) };
  });
}

/** GET /v1/sync/status — syncsim's fields and the design's (`lastSyncTimestamp`, `serverVersion`). */
export async function getStatus(ctx) {
  const status = await statusOf(ctx);
  const now = iso(new Date());
  const payload = { ...status, lastSyncTimestamp: status.lastSync, serverVersion: SERVER_VERSION, serverTime: now, serverTimestamp: now };
  return { status: 200, payload };
}

/** HEAD /v1/sync/status — headers only, so a client can skip an empty pull. */
export async function headStatus(ctx) {
  const status = await statusOf(ctx);
  const headers = {
    'x-has-updates': String(status.hasUpdates),
    'x-cursor': String(status.cursor),
    'x-server-version': SERVER_VERSION,
    // Before any change there is no last sync; the epoch says so in a form every client parses.
    'x-last-sync': status.lastSync ?? iso(new Date(0)),
  };
  return { status: 200, headers };
}
