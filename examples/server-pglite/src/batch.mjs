import { badRequest } from './errors.mjs';
import { parseOperation } from './commands.mjs';
import { parseLimit, parseSince, readDelta, resolveSince, userCursor } from './delta.mjs';
import { iso } from './wire.mjs';
import { executeWrite } from './writes.mjs';

export const MAX_BATCH_OPERATIONS = 500;

/**
 * POST /v1/sync/batch — the operations in order, each in its own savepoint of one
 * transaction (a failing one is rolled back alone and gets its own result; the others
 * stand), then the delta since `cursor` (`delta`) or the design's `lastSyncTimestamp`
 * (`deltaUpdates`, from the start without one) and the user's cursor, read in the same transaction so they include every operation.
 */
export async function runBatch(ctx) {
  const body = ctx.body();
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('body must be a JSON object');
  const { operations } = body;
  if (!Array.isArray(operations)) throw badRequest('body.operations must be an array');
  if (operations.length > MAX_BATCH_OPERATIONS) throw badRequest(`body.operations may hold at most ${MAX_BATCH_OPERATIONS} entries`);
  const since = sinceOf(body);
  const limit = parseLimit(body.limit ?? undefined, 'body.limit');
  return ctx.db.transaction(async (tx) => {
    const before = await userCursor(tx, ctx.user);
    const from = await resolveSince(tx, ctx.user, since, before.cursor);
    const results = [];
    for (const [index, operation] of operations.entries()) results.push(await runOperation(tx, ctx, operation, index));
    const page = await readDelta(tx, ctx.user, from, limit, ctx.limits.maxReplyBytes);
    const { cursor } = await userCursor(tx, ctx.user);
    // One delta per reply, in the dialect the request chose by naming `cursor` or not, as `syncsim serve` does.
    const delta = hasCursor(body) ? { delta: page } : { deltaUpdates: { tasks: page.tasks, deletedTaskIds: page.deletedTaskIds } };
    const payload = { results, ...delta, cursor, serverTimestamp: iso(new Date()) };
    return { status: 200, payload };
  });
}

const hasCursor = (body) => body.cursor !== undefined && body.cursor !== null;

function sinceOf(body) {
  if (hasCursor(body)) {
    if (!Number.isSafeInteger(body.cursor) || body.cursor < 0) throw badRequest('body.cursor must be a non-negative integer');
    return { cursor: body.cursor };
  }
  const stamp = body.lastSyncTimestamp;
  if (stamp !== undefined && stamp !== null && typeof stamp !== 'string') throw badRequest('body.lastSyncTimestamp must be an ISO-8601 string');
  return parseSince(stamp, 'body.lastSyncTimestamp');
}

async function runOperation(tx, ctx, operation, index) {
  let parsed;
  try {
    parsed = parseOperation(operation, index);
  } catch (error) {
    if (error.status === undefined) throw error;
    return failure(index, operation, error);
  }
  await tx.exec('savepoint operation');
  try {
    const outcome = await executeWrite(tx, ctx.user, parsed.command, parsed.key, ctx.limits);
    await tx.exec('release savepoint operation');
    return result(index, parsed.command, outcome);
  } catch (error) {
    await tx.exec('rollback to savepoint operation');
    ctx.log(`batch operation ${index} failed: ${error.stack ?? error}`);
    return failure(index, operation, { status: 500, payload: () => ({ error: { code: 'INTERNAL', message: String(error.message ?? error), retryable: false } }) });
  }
}

/** A result: what the single call would have answered, flattened, with the design's `serverId`. */
function result(index, command, outcome) {
  const task = outcome.data ?? outcome.error?.extras?.serverData;
  const clientId = task?.clientId ?? (command.kind === 'create' ? command.clientId : undefined);
  return {
    index,
    success: outcome.status < 300,
    status: outcome.status,
    ...(task && { id: task.id, serverId: task.id, version: task.version }),
    ...(clientId !== undefined && { clientId }),
    ...(outcome.data && { data: outcome.data }),
    ...(outcome.meta && { meta: outcome.meta }),
    ...(outcome.error && { error: outcome.error.payload().error }),
  };
}

function failure(index, operation, error) {
  const named = typeof operation === 'object' && operation !== null ? operation : {};
  return {
    index,
    success: false,
    status: error.status,
    ...(typeof named.id === 'string' && { id: named.id }),
    ...(typeof named.clientId === 'string' && { clientId: named.clientId }),
    error: error.payload().error,
  };
}
