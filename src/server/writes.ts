import { assert } from './assert.ts';
import type { CreateCommand, DeleteCommand, UpdateCommand, WriteCommand } from './commands.ts';
import { apiError, notFound, type ApiError } from './errors.ts';
import { fingerprint } from './idempotency.ts';
import type { ServerState } from './state.ts';
import { taskCost } from './limits.ts';
import { compareStamps, type UserStore } from './store.ts';
import type { ApplyResult, ServerApplyEvent, WireTask } from './types.ts';
import { instantStamp, taskJson } from './wire.ts';

/** What one write decided: a reply (data or error) and the trace event, if a task was identified. */
export interface WriteOutcome {
  status: number;
  /** The task the write concerned, after the decision; null when none was found or made. */
  task: WireTask | null;
  data?: WireTask;
  meta?: Record<string, unknown>;
  error?: ApiError;
  event: ServerApplyEvent | null;
}

interface WriteContext {
  state: ServerState;
  store: UserStore;
  user: string;
  now: number;
}

/**
 * Decides one write. Each write is atomic: it validates everything before it changes the
 * store, and a successful one is remembered under its idempotency key.
 */
export function executeWrite(
  state: ServerState,
  user: string,
  command: WriteCommand,
  key: string | undefined,
  now: number,
): WriteOutcome {
  const ctx: WriteContext = { state, store: state.store(user), user, now };
  const print = key === undefined ? '' : fingerprint(command);
  const record = key === undefined ? undefined : state.idempotency.lookup(user, key);
  if (record !== undefined) {
    if (record.fingerprint !== print) {
      const message = `Idempotency-Key "${key}" was already used with a different request`;
      return { status: 422, task: null, error: apiError(422, 'IDEMPOTENCY_KEY_REUSED', message), event: null };
    }
    const task = ctx.store.get(record.taskId) ?? null;
    const meta = { ...record.meta, idempotent: true };
    return { status: 200, task, data: record.data, meta, event: eventOf(ctx, command, task, 'duplicate') };
  }
  const before = ctx.store.cursor;
  const outcome = decide(ctx, command);
  const changed = outcome.event?.result === 'applied';
  assert(ctx.store.cursor === before + (changed ? 1 : 0), 'an applied write makes exactly one change');
  if (key !== undefined && outcome.data !== undefined && outcome.status < 300) {
    state.idempotency.save(user, key, {
      fingerprint: print,
      kind: command.kind,
      taskId: outcome.data.id,
      data: outcome.data,
      meta: outcome.meta,
    });
  }
  return outcome;
}

function decide(ctx: WriteContext, command: WriteCommand): WriteOutcome {
  switch (command.kind) {
    case 'create':
      return create(ctx, command);
    case 'update':
      return update(ctx, command);
    case 'delete':
      return remove(ctx, command);
    default: {
      const never: never = command;
      throw new Error(`unknown write ${String(never)}`);
    }
  }
}

function create(ctx: WriteContext, command: CreateCommand): WriteOutcome {
  const existing = ctx.store.getByClientId(command.clientId);
  if (existing !== undefined) {
    const event = eventOf(ctx, command, existing, 'duplicate');
    return { status: 200, task: existing, data: existing, meta: { idempotent: true }, event };
  }
  const { kind: _kind, stamp, ...fields } = command;
  const input = { ...fields, stamp: stamp ?? instantStamp(ctx.now) };
  const over = overQuota(ctx) ?? overBudget(ctx, 1, taskCost({ id: 't', ...input }));
  if (over !== null) return { status: over.status, task: null, error: over, event: eventOf(ctx, command, null, 'rejected') };
  const task = ctx.store.create(ctx.state.newTaskId(), input, ctx.now);
  return { status: 201, task, data: task, event: eventOf(ctx, command, task, 'applied') };
}

/** The scenario's quota (SPEC §4): live tasks. */
function overQuota(ctx: WriteContext): ApiError | null {
  const quota = ctx.state.quota;
  if (quota === null || ctx.store.liveCount < quota) return null;
  const usage = ctx.store.liveCount;
  const message = `the quota allows ${quota} live tasks and you have ${usage}`;
  return apiError(403, 'QUOTA_EXCEEDED', message, { currentUsage: usage, limit: quota });
}

/** The server's own budgets (limits.ts): stored tasks and their bytes, tombstones included. */
function overBudget(ctx: WriteContext, newTasks: number, addedBytes: number): ApiError | null {
  const { maxTasks, maxBytes } = ctx.state.limits;
  if (ctx.store.size + newTasks > maxTasks) {
    const message = `the server keeps at most ${maxTasks} tasks per user (deleted ones included) and you have ${ctx.store.size}`;
    return apiError(403, 'QUOTA_EXCEEDED', message, { currentUsage: ctx.store.size, limit: maxTasks, unit: 'tasks' });
  }
  if (addedBytes > 0 && ctx.store.bytes + addedBytes > maxBytes) {
    const message = `the server keeps at most ${maxBytes} bytes of tasks per user and you have ${ctx.store.bytes}`;
    return apiError(403, 'QUOTA_EXCEEDED', message, { currentUsage: ctx.store.bytes, limit: maxBytes, unit: 'bytes' });
  }
  return null;
}

function update(ctx: WriteContext, command: UpdateCommand): WriteOutcome {
  const task = ctx.store.get(command.id);
  if (task === undefined) return missing(command.id);
  if (task.deleted) {
    const error = apiError(409, 'TASK_DELETED', `task ${task.id} was deleted`, { serverData: taskJson(task) });
    return { status: 409, task, error, event: eventOf(ctx, command, task, 'rejected') };
  }
  if (command.version !== undefined && command.version !== task.version) {
    const message = `task ${task.id} is at version ${task.version}, not ${command.version}`;
    const extras = { currentVersion: task.version, serverData: taskJson(task) };
    const error = apiError(409, 'VERSION_CONFLICT', message, extras);
    return { status: 409, task, error, event: eventOf(ctx, command, task, 'conflict') };
  }
  const stamp = stampOf(command, task, ctx.now);
  if (compareStamps({ stamp, device: command.device }, task) <= 0) {
    const meta = { applied: false, reason: 'STALE_STAMP' };
    return { status: 200, task, data: task, meta, event: eventOf(ctx, command, task, 'rejected') };
  }
  const { title, completed, device, write } = command;
  const patch = { stamp, device, write, ...(title !== undefined && { title }), ...(completed !== undefined && { completed }) };
  const grown = taskCost({ ...task, ...patch }) - taskCost(task);
  const over = overBudget(ctx, 0, grown);
  if (over !== null) return { status: over.status, task, error: over, event: eventOf(ctx, command, task, 'rejected') };
  const next = ctx.store.update(task.id, patch, ctx.now);
  return { status: 200, task: next, data: next, meta: { applied: true }, event: eventOf(ctx, command, next, 'applied') };
}

function remove(ctx: WriteContext, command: DeleteCommand): WriteOutcome {
  const task = ctx.store.get(command.id);
  if (task === undefined) return missing(command.id);
  if (task.deleted) {
    const event = eventOf(ctx, command, task, 'duplicate');
    return { status: 200, task, data: task, meta: { idempotent: true }, event };
  }
  const stamp = command.stamp === undefined ? null : { stamp: command.stamp, device: command.device ?? '' };
  const next = ctx.store.tombstone(task.id, stamp, command.write, ctx.now);
  return { status: 200, task: next, data: next, event: eventOf(ctx, command, next, 'applied') };
}

/**
 * The stamp an update competes with. Without a stamp or timestamp the write is ordered by
 * arrival: it takes the server's time, or just past the task's stamp if that is later
 * (a client clock ahead of the server's), so it wins and stamps never go back.
 */
function stampOf(command: UpdateCommand, task: WireTask, now: number): string {
  if (command.stamp !== undefined) return command.stamp;
  const server = instantStamp(now);
  return server > task.stamp ? server : `${task.stamp}+`;
}

/** Another user's task is as missing as one that never existed. */
function missing(id: string): WriteOutcome {
  return { status: 404, task: null, error: notFound(`no task ${id}`), event: null };
}

function eventOf(ctx: WriteContext, command: WriteCommand, task: WireTask | null, result: ApplyResult): ServerApplyEvent {
  return {
    op: command.kind,
    user: ctx.user,
    write: command.write,
    id: task?.id ?? '',
    clientId: task?.clientId ?? (command.kind === 'create' ? command.clientId : ''),
    result,
    version: task?.version ?? 0,
    cursor: ctx.store.cursor,
    value: requestedValue(command, task),
  };
}

function requestedValue(command: WriteCommand, task: WireTask | null): ServerApplyEvent['value'] {
  if (command.kind === 'delete') return { title: task?.title ?? '', completed: task?.completed ?? false, deleted: true };
  if (command.kind === 'create') return { title: command.title, completed: command.completed, deleted: false };
  return { title: command.title ?? task?.title ?? '', completed: command.completed ?? task?.completed ?? false, deleted: false };
}
