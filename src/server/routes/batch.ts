import { readJsonBody } from '../body.ts';
import { parseBatchOperation } from '../commands.ts';
import { DEFAULT_PAGE, MAX_PAGE, readDelta, type DeltaRead } from '../delta.ts';
import { apiError, badRequest, errorPayload, fail, ok, type ApiError, type Result } from '../errors.ts';
import { FieldReader } from '../fields.ts';
import { errorReply, type Reply } from '../respond.ts';
import { executeWrite } from '../writes.ts';
import type { RequestContext } from './context.ts';
import { resolveSince, serverTimestamp } from './since.ts';
import { batchResult } from './write-reply.ts';

export const MAX_BATCH_OPERATIONS = 500;

/** Room in a reply for everything around the results and the page. */
const ENVELOPE_BYTES = 1024;

/** Where the delta starts, and in which dialect the client asked for it. */
interface BatchSince {
  since: number;
  /** syncsim's form (`cursor` sent): `delta` and `cursor`; else the design's `deltaUpdates`. */
  own: boolean;
}

/**
 * POST /v1/sync/batch — runs the operations in order, each atomic on its own (not the
 * batch as a whole: see README), then answers a result per operation and the delta.
 * Once an operation has run, the reply is 200 whatever happens next: an internal error
 * becomes that operation's result (SYNC_INTERRUPTED) and the ones after it are not run.
 */
export function runBatch(ctx: RequestContext): Reply {
  const body = readJsonBody(ctx.request);
  if (!body.ok) return errorReply(body.error);
  const fields = FieldReader.of(body.value ?? null, 'body');
  if (!(fields instanceof FieldReader)) return errorReply(fields);
  const operations = fields.array('operations');
  const cursor = fields.optionalInteger('cursor', 0, Number.MAX_SAFE_INTEGER);
  const lastSync = fields.optionalString('lastSyncTimestamp');
  const limit = fields.optionalInteger('limit', 1, MAX_PAGE) ?? DEFAULT_PAGE;
  if (fields.error) return errorReply(fields.error);
  if (operations.length > MAX_BATCH_OPERATIONS) {
    return errorReply(badRequest(`body.operations may hold at most ${MAX_BATCH_OPERATIONS} entries`));
  }
  const where = batchSince(ctx, cursor, lastSync);
  if (!where.ok) return errorReply(where.error);

  const results: unknown[] = [];
  let interrupted: ApiError | null = null;
  for (const [index, operation] of operations.entries()) {
    if (interrupted !== null) {
      results.push(notRun(index, interrupted, operation));
      continue;
    }
    try {
      results.push(runOperation(ctx, operation, index));
    } catch (error) {
      interrupted = syncInterrupted(index - 1, error);
      results.push(notRun(index, interrupted, operation));
    }
  }
  const resultBytes = Buffer.byteLength(JSON.stringify(results));
  const maxBytes = Math.max(0, ctx.state.limits.maxReplyBytes - resultBytes - ENVELOPE_BYTES);
  let delta: DeltaRead | null = null;
  if (interrupted === null) {
    try {
      delta = readDelta(ctx.state.store(ctx.user), { since: where.value.since, limit, maxBytes, withDeletedTasks: where.value.own });
    } catch (error) {
      interrupted = syncInterrupted(operations.length - 1, error);
    }
  }
  return { status: 200, payload: batchPayload(ctx, where.value.own, results, delta, interrupted) };
}

function batchSince(ctx: RequestContext, cursor: number | undefined, lastSync: string | undefined): Result<BatchSince> {
  const store = ctx.state.store(ctx.user);
  if (cursor !== undefined) {
    const since = resolveSince(store, String(cursor), 'body.cursor');
    return since.ok ? ok({ since: since.value, own: true }) : fail(since.error);
  }
  const since = resolveSince(store, lastSync, 'body.lastSyncTimestamp');
  return since.ok ? ok({ since: since.value, own: false }) : fail(since.error);
}

function batchPayload(ctx: RequestContext, own: boolean, results: unknown[], delta: DeltaRead | null, interrupted: ApiError | null) {
  const store = ctx.state.store(ctx.user);
  const payload: Record<string, unknown> = { results };
  if (delta !== null && own) payload['delta'] = delta.page;
  if (delta !== null && !own) payload['deltaUpdates'] = delta.page;
  payload['cursor'] = store.cursor;
  payload['serverTimestamp'] = serverTimestamp(store, ctx.now, delta?.restFrom ?? null);
  if (interrupted !== null) payload['error'] = errorPayload(interrupted).error;
  return payload;
}

function runOperation(ctx: RequestContext, operation: unknown, index: number) {
  const parsed = parseBatchOperation(operation, index);
  if (!parsed.ok) {
    return { index, ...echoedIds(operation), success: false, status: parsed.error.status, error: errorPayload(parsed.error).error };
  }
  const { command, idempotencyKey } = parsed.value;
  const outcome = executeWrite(ctx.state, ctx.user, command, idempotencyKey, ctx.now);
  if (outcome.event) ctx.emit(outcome.event);
  return batchResult(index, outcome, command);
}

/** The design's error for a sync cut short: safe to retry from the operation after `lastSuccessfulOperation`. */
function syncInterrupted(lastRan: number, error: unknown): ApiError {
  const why = error instanceof Error ? error.message : String(error);
  const message = `sync was interrupted by an internal error (${why}); safe to retry from operation ${lastRan + 1}`;
  return { ...apiError(503, 'SYNC_INTERRUPTED', message, { lastSuccessfulOperation: lastRan }), retryable: true };
}

function notRun(index: number, interrupted: ApiError, operation: unknown) {
  return { index, ...echoedIds(operation), success: false, status: interrupted.status, error: errorPayload(interrupted).error };
}

/** The operation's own `id` and `clientId`, when they are strings, so a client can match a failed result. */
function echoedIds(operation: unknown): { id?: string; clientId?: string } {
  if (typeof operation !== 'object' || operation === null) return {};
  const { id, clientId } = operation as Record<string, unknown>;
  return { ...(typeof id === 'string' && { id: id.slice(0, 255) }), ...(typeof clientId === 'string' && { clientId: clientId.slice(0, 255) }) };
}
