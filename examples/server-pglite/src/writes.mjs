import { fingerprint, instantStamp } from './commands.mjs';
import { ApiError, notFound } from './errors.mjs';
import { wireTask } from './wire.mjs';

/**
 * The decision of one create/update/delete, inside the caller's transaction. Everything is
 * checked before anything is written, so a 4xx leaves the database unchanged; an applied
 * write makes exactly one change (one number of the user's change sequence).
 *
 * An outcome: `{ status, data?, meta?, error? }` (data: the wire task).
 */
export async function executeWrite(tx, user, command, key, limits) {
  const print = key === undefined ? '' : fingerprint(command);
  if (key !== undefined) {
    const found = await tx.query('select fingerprint, reply from idempotency_keys where user_name = $1 and key = $2', [user, key]);
    const record = found.rows[0];
    if (record !== undefined) {
      if (record.fingerprint !== print) {
        return { status: 422, error: new ApiError(422, 'IDEMPOTENCY_KEY_REUSED', `Idempotency-Key "${key}" was already used with a different request`) };
      }
      return { status: 200, data: record.reply.data, meta: { ...record.reply.meta, idempotent: true } };
    }
  }
  const outcome = await decide(tx, user, command, limits);
  // Only successes are remembered: a 409 or 403 is decided again on retry, its cause may be gone.
  if (key !== undefined && outcome.data !== undefined && outcome.status < 300) {
    await tx.query('insert into idempotency_keys (user_name, key, fingerprint, status, reply) values ($1, $2, $3, $4, $5)', [user, key, print, outcome.status, JSON.stringify({ data: outcome.data, meta: outcome.meta ?? {} })]);
  }
  return outcome;
}

function decide(tx, user, command, limits) {
  if (command.kind === 'create') return create(tx, user, command, limits);
  if (command.kind === 'update') return update(tx, user, command, limits);
  return remove(tx, user, command);
}

/** A clientId names one task forever: a repeat returns it, even as a tombstone. */
async function create(tx, user, command, limits) {
  const existing = await tx.query('select * from tasks where user_name = $1 and client_id = $2', [user, command.clientId]);
  if (existing.rows[0] !== undefined) return { status: 200, data: wireTask(existing.rows[0]), meta: { idempotent: true } };
  const usage = (await tx.query('select live_tasks, live_bytes from users where name = $1', [user])).rows[0];
  const bytes = Buffer.byteLength(command.title);
  if (usage.live_tasks >= limits.maxTasks) return quota(`the quota allows ${limits.maxTasks} live tasks and you have ${usage.live_tasks}`, usage.live_tasks, limits.maxTasks, { unit: 'tasks' });
  if (usage.live_bytes + bytes > limits.maxBytes) return quota(`the titles of your live tasks may take ${limits.maxBytes} bytes; this one would make ${usage.live_bytes + bytes}`, usage.live_tasks, limits.maxTasks, { unit: 'bytes', currentBytes: usage.live_bytes, byteLimit: limits.maxBytes });
  const now = new Date();
  const seq = await nextChange(tx, user, now, 1, bytes);
  const inserted = await tx.query(
    logged(`insert into tasks (id, user_name, client_id, title, completed, stamp, device, version, created_at, updated_at, write, seq)
     values ('t' || nextval('task_ids'), $1, $2, $3, $4, $5, $6, 1, $7, $7, $8, $9) returning *`, '$7', '$9'),
    [user, command.clientId, command.title, command.completed, command.stamp ?? instantStamp(now.getTime()), command.device, now, command.write, seq],
  );
  return { status: 201, data: wireTask(inserted.rows[0]) };
}

async function update(tx, user, command, limits) {
  const task = await lockTask(tx, user, command.id);
  if (task === undefined) return missing(command.id);
  if (task.deleted) {
    return { status: 409, error: new ApiError(409, 'TASK_DELETED', `task ${task.id} was deleted`, { serverData: wireTask(task) }) };
  }
  if (command.version !== undefined && command.version !== task.version) {
    const extras = { currentVersion: task.version, serverData: wireTask(task) };
    return { status: 409, error: new ApiError(409, 'VERSION_CONFLICT', `task ${task.id} is at version ${task.version}, not ${command.version}`, extras) };
  }
  const now = new Date();
  const stamp = command.stamp ?? instantStamp(now.getTime());
  if (compareStamps({ stamp, device: command.device }, task) <= 0) {
    return { status: 200, data: wireTask(task), meta: { applied: false, reason: 'STALE_STAMP' } };
  }
  const title = command.title ?? task.title;
  const grow = Buffer.byteLength(title) - Buffer.byteLength(task.title);
  if (grow > 0) {
    const usage = (await tx.query('select live_tasks, live_bytes from users where name = $1', [user])).rows[0];
    if (usage.live_bytes + grow > limits.maxBytes) return quota(`the titles of your live tasks may take ${limits.maxBytes} bytes; this title would make ${usage.live_bytes + grow}`, usage.live_tasks, limits.maxTasks, { unit: 'bytes', currentBytes: usage.live_bytes, byteLimit: limits.maxBytes });
  }
  const seq = await nextChange(tx, user, now, 0, grow);
  const updated = await tx.query(
    logged(`update tasks set title = $3, completed = $4, stamp = $5, device = $6, write = $7, updated_at = $8, version = version + 1, seq = $9
     where id = $2 and user_name = $1 returning *`, '$8', '$9'),
    [user, task.id, title, command.completed ?? task.completed, stamp, command.device, command.write, now, seq],
  );
  return { status: 200, data: wireTask(updated.rows[0]), meta: { applied: true } };
}

/** A delete is final; its stamp replaces the task's only if greater, so stamps never go back. */
async function remove(tx, user, command) {
  const task = await lockTask(tx, user, command.id);
  if (task === undefined) return missing(command.id);
  if (task.deleted) return { status: 200, data: wireTask(task), meta: { idempotent: true } };
  const now = new Date();
  const asked = command.stamp === null ? null : { stamp: command.stamp, device: command.device };
  const newer = asked !== null && compareStamps(asked, task) > 0 ? asked : { stamp: task.stamp, device: task.device };
  const seq = await nextChange(tx, user, now, -1, -Buffer.byteLength(task.title));
  const deleted = await tx.query(
    logged(`update tasks set deleted = true, stamp = $3, device = $4, write = $5, updated_at = $6, version = version + 1, seq = $7
     where id = $2 and user_name = $1 returning *`, '$6', '$7'),
    [user, task.id, newer.stamp, newer.device, command.write, now, seq],
  );
  return { status: 200, data: wireTask(deleted.rows[0]) };
}

/** The user's task, locked for this transaction; another user's task is as missing as none. */
async function lockTask(tx, user, id) {
  const found = await tx.query('select * from tasks where id = $1 and user_name = $2 for update', [id, user]);
  return found.rows[0];
}

/** Takes the user's next change number (the UPDATE locks the user's row until commit) and moves the usage counters. */
async function nextChange(tx, user, now, liveDelta, bytesDelta) {
  const bumped = await tx.query(
    'update users set change_seq = change_seq + 1, last_change_at = $2, live_tasks = live_tasks + $3, live_bytes = live_bytes + $4 where name = $1 returning change_seq',
    [user, now, liveDelta, bytesDelta],
  );
  return bumped.rows[0].change_seq;
}

/**
 * A task write and its change-log entry in one statement (one round trip). The write's SQL
 * takes the user as $1, returns the row, and names its time and change-number parameters.
 */
function logged(write, now, seq) {
  return `with written as (${write}),
    logged as (insert into changes (user_name, seq, task_id, changed_at) select $1, ${seq}, id, ${now} from written)
    select * from written`;
}

function missing(id) {
  return { status: 404, error: notFound(`no task ${id}`) };
}

function quota(message, currentUsage, limit, extras = {}) {
  return { status: 403, error: new ApiError(403, 'QUOTA_EXCEEDED', message, { currentUsage, limit, ...extras }) };
}

/** Orders two LWW stamps: the stamp string first, the device id breaks ties. */
export function compareStamps(a, b) {
  if (a.stamp !== b.stamp) return a.stamp > b.stamp ? 1 : -1;
  if (a.device !== b.device) return a.device > b.device ? 1 : -1;
  return 0;
}
