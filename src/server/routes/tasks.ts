import { readJsonBody } from '../body.ts';
import { checkIdempotencyKey, parseCreate, parseDelete, parseUpdate, type WriteCommand } from '../commands.ts';
import { DEFAULT_PAGE, MAX_PAGE, readDelta } from '../delta.ts';
import { notFound, type Result } from '../errors.ts';
import { header } from '../http.ts';
import { errorReply, type Reply } from '../respond.ts';
import { executeWrite } from '../writes.ts';
import { integerParam, type RequestContext } from './context.ts';
import { resolveSince, serverTimestamp } from './since.ts';
import { writeReply } from './write-reply.ts';
import { taskJson } from '../wire.ts';

/** Room in a reply for everything around the page (envelope, syncMetadata). */
const ENVELOPE_BYTES = 512;

/**
 * GET /v1/tasks?since=&limit= — a delta pull; without `since`, a full pull from the start.
 * `since` is a cursor or an ISO-8601 timestamp (the design's `updatedSince` is its alias).
 */
export function listTasks(ctx: RequestContext): Reply {
  const store = ctx.state.store(ctx.user);
  const since = resolveSince(store, ctx.query.get('since') ?? ctx.query.get('updatedSince') ?? undefined, 'since');
  if (!since.ok) return errorReply(since.error);
  const limit = integerParam(ctx.query, 'limit', 1, MAX_PAGE);
  if (!limit.ok) return errorReply(limit.error);
  const maxBytes = ctx.state.limits.maxReplyBytes - ENVELOPE_BYTES;
  const { page, restFrom } = readDelta(store, { since: since.value, limit: limit.value ?? DEFAULT_PAGE, maxBytes, withDeletedTasks: true });
  const syncMetadata = { serverTimestamp: serverTimestamp(store, ctx.now, restFrom), hasMore: page.hasMore };
  return { status: 200, payload: { data: { ...page, syncMetadata } } };
}

/** GET /v1/tasks/{id} — one task, tombstone included; another user's task is 404. */
export function getTask(ctx: RequestContext): Reply {
  const id = ctx.params[0] ?? '';
  const task = ctx.state.store(ctx.user).get(id);
  if (task === undefined) return errorReply(notFound(`no task ${id}`));
  return { status: 200, payload: { data: taskJson(task) } };
}

/** POST /v1/tasks */
export function createTask(ctx: RequestContext): Reply {
  return runWrite(ctx, (body) => parseCreate(body));
}

/** PUT /v1/tasks/{id} */
export function updateTask(ctx: RequestContext): Reply {
  return runWrite(ctx, (body) => parseUpdate(ctx.params[0] ?? '', body));
}

/** DELETE /v1/tasks/{id} */
export function deleteTask(ctx: RequestContext): Reply {
  return runWrite(ctx, (body) => parseDelete(ctx.params[0] ?? '', body));
}

function runWrite(ctx: RequestContext, parse: (body: unknown) => Result<WriteCommand>): Reply {
  const body = readJsonBody(ctx.request);
  if (!body.ok) return errorReply(body.error);
  const command = parse(body.value);
  if (!command.ok) return errorReply(command.error);
  const key = header(ctx.request, 'idempotency-key');
  const keyError = checkIdempotencyKey(key, 'the Idempotency-Key header');
  if (keyError) return errorReply(keyError);
  const outcome = executeWrite(ctx.state, ctx.user, command.value, key, ctx.now);
  if (outcome.event) ctx.emit(outcome.event);
  return writeReply(outcome);
}
