import { apiError, badRequest, fail, ok, type Result } from '../errors.ts';
import type { UserStore } from '../store.ts';
import { isoTime, parseInstant } from '../wire.ts';

/**
 * Where a delta starts, from either dialect: syncsim's change-sequence cursor (digits),
 * or the design's ISO-8601 timestamp, served from the change log (store.ts `cursorAt`).
 * A cursor ahead of the server's is 409 CURSOR_AHEAD: the server lost changes the client
 * saw (a restart without `--data`), so the client must start over from 0.
 */
export function resolveSince(store: UserStore, text: string | undefined, name: string): Result<number> {
  if (text === undefined) return ok(0);
  if (/^\d{1,16}$/.test(text)) {
    const cursor = Number(text);
    if (!Number.isSafeInteger(cursor)) return fail(badRequest(`${name} must be a cursor from 0 to ${Number.MAX_SAFE_INTEGER}, got "${text}"`));
    if (cursor > store.cursor) return fail(cursorAhead(name, cursor, store.cursor));
    return ok(cursor);
  }
  // An unencoded "+02:00" offset arrives as " 02:00" (a query's "+" is a space).
  const instant = parseInstant(text.replace(/ (\d{2}:\d{2})$/, '+$1'));
  if (instant === null) {
    return fail(badRequest(`${name} must be a cursor (an integer) or an ISO-8601 date-time such as "2026-01-13T10:00:00Z", got "${text.slice(0, 64)}"`));
  }
  return ok(store.cursorAt(instant));
}

function cursorAhead(name: string, cursor: number, serverCursor: number) {
  const message = `${name} ${cursor} is ahead of the server's cursor ${serverCursor}: the server has lost changes you saw; pull again from 0`;
  return apiError(409, 'CURSOR_AHEAD', message, { cursor: serverCursor });
}

/**
 * The design's `serverTimestamp`: what a client should send as its next timestamp `since`.
 * When the page left changes off, the time of the first of them, so nothing is skipped.
 */
export function serverTimestamp(store: UserStore, now: number, restFrom: number | null): string {
  return isoTime(restFrom ?? Math.max(now, store.lastChangeAt));
}
