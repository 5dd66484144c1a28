import { errorReply, type Reply } from '../respond.ts';
import { cursorParam, type RequestContext } from './context.ts';

/** The protocol's version, so a client can tell which API it talks to. */
export const SERVER_VERSION = '1';

/** GET /v1/sync/status?since= — the user's cursor and whether anything changed after `since`. */
export function getStatus(ctx: RequestContext): Reply {
  const since = cursorParam(ctx.query, 'since');
  if (!since.ok) return errorReply(since.error);
  const store = ctx.state.store(ctx.user);
  const payload = {
    cursor: store.cursor,
    serverVersion: SERVER_VERSION,
    serverTime: ctx.now,
    hasUpdates: store.cursor > (since.value ?? 0),
    lastSync: store.lastChangeAt,
  };
  return { status: 200, payload };
}

/** HEAD /v1/sync/status?since= — the same facts as headers only, so a client can skip an empty pull. */
export function headStatus(ctx: RequestContext): Reply {
  const since = cursorParam(ctx.query, 'since');
  if (!since.ok) return errorReply(since.error);
  const store = ctx.state.store(ctx.user);
  const headers = {
    'x-has-updates': String(store.cursor > (since.value ?? 0)),
    'x-last-sync': String(store.lastChangeAt),
    'x-cursor': String(store.cursor),
    'x-server-version': SERVER_VERSION,
  };
  return { status: 200, headers };
}
