import { createHash } from 'node:crypto';
import { ApiError, badRequest } from './errors.mjs';

export const MAX_TITLE_LENGTH = 10_000;
export const MAX_KEY_LENGTH = 255;
/** clientId, stamp, device and write: names, not text; syncsim's own server allows as many. */
export const MAX_NAME_LENGTH = 1000;

/**
 * Validated writes, the same whether they came as a single call or as a batch operation,
 * in either dialect: syncsim's (`completed`, `stamp`, `device`, `write`) or the design's
 * (`isCompleted`, `clientTimestamp`/`updatedAt`, a batch operation's fields under `data`).
 * `stamp` is null when the client sent none: the write then gets the server's time as its
 * stamp when it is applied (not here, so a retry fingerprints the same).
 */

/** Reads typed fields of one JSON object; the first mistake throws a 400 naming the field. */
class Fields {
  constructor(value, where) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw badRequest(`${where} must be a JSON object`);
    this.object = value;
    this.where = where;
  }

  get(name) {
    const value = Object.hasOwn(this.object, name) ? this.object[name] : undefined;
    return value === null ? undefined : value;
  }

  string(name, required = false) {
    const value = this.get(name);
    if (typeof value === 'string' || (value === undefined && !required)) return value;
    throw badRequest(`${this.where}.${name} must be a string`);
  }

  name(name, required = false) {
    const value = this.string(name, required);
    if (value !== undefined && value.length > MAX_NAME_LENGTH) throw badRequest(`${this.where}.${name} is longer than ${MAX_NAME_LENGTH} characters`);
    return value;
  }

  boolean(name) {
    const value = this.get(name);
    if (value === undefined || typeof value === 'boolean') return value;
    throw badRequest(`${this.where}.${name} must be a boolean`);
  }

  integer(name, min, max) {
    const value = this.get(name);
    if (value === undefined) return undefined;
    if (Number.isSafeInteger(value) && value >= min && value <= max) return value;
    throw badRequest(`${this.where}.${name} must be an integer from ${min} to ${max}`);
  }

  /** The LWW stamp: `stamp` as sent, else the design's timestamp as an instant in a form that sorts as it compares. */
  stamp() {
    const stamp = this.name('stamp');
    if (stamp !== undefined) return stamp;
    for (const name of ['clientTimestamp', 'updatedAt']) {
      const value = this.string(name);
      if (value === undefined) continue;
      const ms = Date.parse(value);
      if (Number.isNaN(ms)) throw badRequest(`${this.where}.${name} must be an ISO-8601 timestamp, got "${value}"`);
      return instantStamp(ms);
    }
    return null;
  }

  title(required) {
    const title = this.string('title', required);
    const length = title === undefined ? 0 : [...title].length;
    if (length > MAX_TITLE_LENGTH) {
      throw new ApiError(400, 'TITLE_TOO_LONG', `${this.where}.title is ${length} characters; at most ${MAX_TITLE_LENGTH} are allowed`, { limit: MAX_TITLE_LENGTH });
    }
    return title;
  }

  completed() {
    const completed = this.boolean('completed');
    const isCompleted = this.boolean('isCompleted');
    if (completed !== undefined && isCompleted !== undefined && completed !== isCompleted) {
      throw badRequest(`${this.where}.completed and ${this.where}.isCompleted disagree`);
    }
    return completed ?? isCompleted;
  }
}

/** An instant as a stamp: ISO-8601 with milliseconds, fixed width, so string order is time order. */
export function instantStamp(ms) {
  return new Date(ms).toISOString();
}

export function parseCreate(body, where = 'body') {
  const f = new Fields(body, where);
  // The design's Swift Task sends its own `id` as its identity when it has no clientId.
  const clientId = f.name('clientId') ?? f.name('id');
  if (clientId === undefined) throw badRequest(`${where}.clientId must be a string`);
  if (clientId === '') throw badRequest(`${where}.clientId must not be empty`);
  return { kind: 'create', clientId, title: f.title(true), completed: f.completed() ?? false, stamp: f.stamp(), device: f.name('device') ?? '', write: f.name('write') ?? null };
}

export function parseUpdate(id, body, where = 'body') {
  const f = new Fields(body, where);
  return { kind: 'update', id, title: f.title(false), completed: f.completed(), version: f.integer('version', 0, 2 ** 31 - 1), stamp: f.stamp(), device: f.name('device') ?? '', write: f.name('write') ?? null };
}

/** A delete's body is optional (the design sends none). */
export function parseDelete(id, body, where = 'body') {
  if (body === undefined) return { kind: 'delete', id, stamp: null, device: '', write: null };
  const f = new Fields(body, where);
  return { kind: 'delete', id, stamp: f.stamp(), device: f.name('device') ?? '', write: f.name('write') ?? null };
}

/** One batch operation; the design puts the task's fields under `data`, syncsim beside `type`. */
export function parseOperation(value, index) {
  const where = `operations[${index}]`;
  const f = new Fields(value, where);
  const type = f.string('type', true);
  const data = f.get('data');
  if (data !== undefined && (typeof data !== 'object' || Array.isArray(data))) throw badRequest(`${where}.data must be a JSON object`);
  const merged = { ...value, ...data };
  const key = checkKey(f.string('idempotencyKey'), `${where}.idempotencyKey`);
  switch (type) {
    case 'create':
      return { command: parseCreate(merged, where), key };
    case 'update':
      return { command: parseUpdate(f.string('id', true), merged, where), key };
    case 'delete':
      return { command: parseDelete(f.string('id', true), merged, where), key };
    default:
      throw badRequest(`${where}.type must be "create", "update" or "delete"`);
  }
}

/** An Idempotency-Key (header or batch field) is 1 to 255 characters. */
export function checkKey(key, where) {
  if (key !== undefined && (key.length === 0 || key.length > MAX_KEY_LENGTH)) throw badRequest(`${where} must be 1 to ${MAX_KEY_LENGTH} characters`);
  return key;
}

/** The request's canonical form (its validated fields, sorted): a key reused with another body differs here. */
export function fingerprint(command) {
  const entries = Object.entries(command).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : 1));
  return createHash('sha256').update(JSON.stringify(entries)).digest('hex');
}
