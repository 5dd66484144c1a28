import { readJsonBody } from '../body.ts';
import { parseBatchOperation } from '../commands.ts';
import { DEFAULT_PAGE, MAX_PAGE, readDelta } from '../delta.ts';
import { badRequest, errorPayload } from '../errors.ts';
import { FieldReader } from '../fields.ts';
import { errorReply, type Reply } from '../respond.ts';
import { executeWrite } from '../writes.ts';
import type { RequestContext } from './context.ts';
import { batchResult } from './write-reply.ts';

export const MAX_BATCH_OPERATIONS = 500;

/**
 * POST /v1/sync/batch — runs the operations in order, each atomic on its own (not the
 * batch as a whole: see README), then answers a result per operation and the delta.
 */
export function runBatch(ctx: RequestContext): Reply {
  const body = readJsonBody(ctx.request);
  if (!body.ok) return errorReply(body.error);
  const fields = FieldReader.of(body.value ?? null, 'body');
  if (!(fields instanceof FieldReader)) return errorReply(fields);
  const operations = fields.array('operations');
  const since = fields.optionalInteger('cursor', 0, Number.MAX_SAFE_INTEGER) ?? 0;
  const limit = fields.optionalInteger('limit', 1, MAX_PAGE) ?? DEFAULT_PAGE;
  if (fields.error) return errorReply(fields.error);
  if (operations.length > MAX_BATCH_OPERATIONS) {
    return errorReply(badRequest(`body.operations may hold at most ${MAX_BATCH_OPERATIONS} entries`));
  }
  const results = operations.map((operation, index) => runOperation(ctx, operation, index));
  const store = ctx.state.store(ctx.user);
  return { status: 200, payload: { results, delta: readDelta(store, since, limit), cursor: store.cursor } };
}

function runOperation(ctx: RequestContext, operation: unknown, index: number) {
  const parsed = parseBatchOperation(operation, index);
  if (!parsed.ok) {
    return { index, success: false, status: parsed.error.status, error: errorPayload(parsed.error).error };
  }
  const { command, idempotencyKey } = parsed.value;
  const outcome = executeWrite(ctx.state, ctx.user, command, idempotencyKey, ctx.now);
  if (outcome.event) ctx.emit(outcome.event);
  return batchResult(index, outcome, command.kind === 'create' ? command.clientId : undefined);
}
