import { errorReply, type Reply } from '../respond.ts';
import type { UserStore } from '../store.ts';
import { isoTime } from '../wire.ts';
import type { RequestContext } from './context.ts';
import { resolveSince } from './since.ts';

/** The protocol's version, so a client can tell which API it talks to. */
export const SERVER_VERSION = '1';

interface StatusFacts {
  cursor: number;
  hasUpdates: boolean;
  /** Changes after the caller's `since` (change records, not distinct tasks). */
  pendingChanges: number;
  /** ISO-8601 time of the user's latest change (the epoch before any). */
  lastSyncTimestamp: string;
}

function statusFacts(store: UserStore, since: number): StatusFacts {
  return {
    cursor: store.cursor,
    hasUpdates: store.cursor > since,
    pendingChanges: store.cursor - since,
    lastSyncTimestamp: isoTime(store.lastChangeAt),
  };
}

/**
 * GET /v1/sync/status?since= — the design's status body (`lastSyncTimestamp`,
 * `pendingChanges`, `conflictsNeedingResolution`, `serverVersion`) and syncsim's
 * (`cursor`, `hasUpdates`, `serverTime`, `lastSync` in ms).
 */
export function getStatus(ctx: RequestContext): Reply {
  const store = ctx.state.store(ctx.user);
  const since = resolveSince(store, ctx.query.get('since') ?? undefined, 'since');
  if (!since.ok) return errorReply(since.error);
  const facts = statusFacts(store, since.value);
  const payload = {
    lastSyncTimestamp: facts.lastSyncTimestamp,
    pendingChanges: facts.pendingChanges,
    // Every conflict is decided when the write arrives (version, LWW): none waits for a person.
    conflictsNeedingResolution: 0,
    serverVersion: SERVER_VERSION,
    serverTimestamp: isoTime(ctx.now),
    cursor: facts.cursor,
    hasUpdates: facts.hasUpdates,
    serverTime: ctx.now,
    lastSync: store.lastChangeAt,
  };
  return { status: 200, payload };
}

/** HEAD /v1/sync/status?since= — the same facts as headers only, so a client can skip an empty pull. */
export function headStatus(ctx: RequestContext): Reply {
  const store = ctx.state.store(ctx.user);
  const since = resolveSince(store, ctx.query.get('since') ?? undefined, 'since');
  if (!since.ok) return errorReply(since.error);
  const facts = statusFacts(store, since.value);
  const headers = {
    'x-has-updates': String(facts.hasUpdates),
    'x-pending-count': String(facts.pendingChanges),
    'x-last-sync': facts.lastSyncTimestamp,
    'x-cursor': String(facts.cursor),
    'x-server-version': SERVER_VERSION,
  };
  return { status: 200, headers };
}
