import { checkKey, parseCreate, parseDelete, parseUpdate } from './commands.mjs';
import { notFound } from './errors.mjs';
import { parseLimit, parseSince, readDelta, resolveSince, syncMetadata, userCursor } from './delta.mjs';
import { executeWrite } from './writes.mjs';
import { wireTask } from './wire.mjs';

/** GET /v1/tasks?since=&limit= — a delta page; page and cursor come from one transaction. */
export async function listTasks(ctx) {
  // `updatedSince` is the design's spelling some clients use.
  const name = ctx.query.has('since') || !ctx.query.has('updatedSince') ? 'since' : 'updatedSince';
  const since = parseSince(ctx.query.get(name), `query parameter ${name}`);
  const limit = parseLimit(ctx.query.get('limit') ?? undefined, 'query parameter limit');
  return ctx.db.transaction(async (tx) => {
    const { cursor } = await userCursor(tx, ctx.user);
    const from = await resolveSince(tx, ctx.user, since, cursor);
    const page = await readDelta(tx, ctx.user, from, limit, ctx.limits.maxReplyBytes);
    return { status: 200, payload: { data: { ...page, syncMetadata: syncMetadata(page, new Date()) } } };
  });
}

/** GET /v1/tasks/{id} — one task, tombstone included (an extension); another user's is 404. */
export async function getTask(ctx) {
  const { rows } = await ctx.db.query('select * from tasks where id = $1 and user_name = $2', [ctx.params[0], ctx.user]);
  if (rows[0] === undefined) throw notFound(`no task ${ctx.params[0]}`);
  return { status: 200, payload: { data: wireTask(rows[0]) } };
}

export const createTask = (ctx) => runWrite(ctx, parseCreate(ctx.body()));
export const updateTask = (ctx) => runWrite(ctx, parseUpdate(ctx.params[0], ctx.body()));
export const deleteTask = (ctx) => runWrite(ctx, parseDelete(ctx.params[0], ctx.body()));

/** One write in its own transaction, keyed by the Idempotency-Key header if any. */
async function runWrite(ctx, command) {
  const key = checkKey(ctx.headers['idempotency-key'], 'the Idempotency-Key header');
  const outcome = await ctx.db.transaction((tx) => executeWrite(tx, ctx.user, command, key, ctx.limits));
  if (outcome.error !== undefined) throw outcome.error;
  return { status: outcome.status, payload: { data: outcome.data, ...(outcome.meta && { meta: outcome.meta }) } };
}
