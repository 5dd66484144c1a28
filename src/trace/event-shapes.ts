import type { KnownEventType } from './events.ts';

/**
 * The shape each known event type must have (SPEC §5): its required fields and, for the
 * lists and objects the checkers look into, their items and fields, to every depth the
 * checkers read. A hostile or broken file thus fails here, at its line, and never as a
 * TypeError deep in a checker. Fields not listed are ignored, as the format says.
 */

export type FieldKind =
  | 'string' | 'integer' | 'number' | 'boolean' | 'object' | 'array'
  | 'string?' | 'integer?' | 'number?' | 'array?' | 'nullable' | 'seed'
  /** An integer, or no field at all (null is not absent: a compact read's `since`). */
  | 'absent|integer';

/** A field's kind, or a list of items of a shape, or an object with fields of shapes. */
export type Shape = FieldKind | ListShape | ObjectShape;
export interface ListShape { readonly list: Shape; readonly optional?: true }
export interface ObjectShape { readonly fields: Readonly<Record<string, Shape>> }

const TASK_VALUE: ObjectShape = { fields: { title: 'string', completed: 'boolean', deleted: 'boolean' } };
const DEVICE: ObjectShape = { fields: { id: 'string', skew: 'number', drift: 'number?', user: 'string?' } };
const SNAPSHOT_ROW: ObjectShape = { fields: { task: 'string', id: 'string', title: 'string', completed: 'boolean', deleted: 'boolean', write: 'string?' } };
const READ_ROW: ObjectShape = { fields: { task: 'string', id: 'string', title: 'string', completed: 'boolean' } };

/** The fields each known type must carry, and their shapes. */
export const EVENT_SHAPES: Readonly<Record<KnownEventType, Readonly<Record<string, Shape>>>> = {
  'run.start': { version: 'integer', scenario: 'string', seed: 'seed', engine: 'string', devices: { list: DEVICE } },
  op: { device: 'string', write: 'string', kind: 'string', task: 'string', value: TASK_VALUE, basis: 'nullable', stamp: 'string' },
  'msg.send': { msg: 'integer', from: 'string', to: 'string', method: 'string', path: 'string', reply: 'integer?', status: 'integer?' },
  'msg.deliver': { msg: 'integer', from: 'string', to: 'string' },
  'msg.drop': { msg: 'integer', from: 'string', to: 'string', reason: 'string' },
  'msg.dup': { msg: 'integer', of: 'integer', from: 'string', to: 'string' },
  fault: { kind: 'string', detail: 'object' },
  'server.apply': { write: 'string?', task: 'string', result: 'string', version: 'integer', cursor: 'integer', op: 'string?', id: 'string?' },
  'device.apply': { device: 'string', task: 'string', write: 'string?', source: 'string' },
  snapshot: { node: 'string', tasks: { list: SNAPSHOT_ROW }, queue: 'array' },
  check: { checker: 'string', ok: 'boolean' },
  invoke: { device: 'string', write: 'string', kind: 'string', task: 'string', value: TASK_VALUE, basis: 'string?' },
  ok: { device: 'string', write: 'string', id: 'string?' },
  fail: { device: 'string', write: 'string', error: 'string' },
  read: { device: 'string', rows: { list: READ_ROW }, since: 'absent|integer', gone: { list: 'string', optional: true } },
  'engine-error': { device: 'string?', step: 'integer?', call: 'string', error: 'string', stack: 'string' },
  'run.end': { ok: 'boolean', violations: { list: 'string' }, hash: 'string' },
};

/** What is wrong with one field: where (`devices[0].id`), what it must be, and what it is. */
export interface ShapeProblem {
  readonly path: string;
  readonly expected: string;
  readonly value: unknown;
}

export function hasKind(value: unknown, kind: FieldKind): boolean {
  switch (kind) {
    case 'string': return typeof value === 'string';
    case 'integer': return Number.isInteger(value);
    case 'number': return typeof value === 'number' && Number.isFinite(value);
    case 'boolean': return typeof value === 'boolean';
    case 'object': return isObject(value);
    case 'array': return Array.isArray(value);
    case 'string?': return value === undefined || value === null || typeof value === 'string';
    case 'integer?': return value === undefined || value === null || Number.isInteger(value);
    case 'number?': return value === undefined || value === null || (typeof value === 'number' && Number.isFinite(value));
    case 'array?': return value === undefined || Array.isArray(value);
    case 'nullable': return value === null || typeof value === 'string';
    case 'seed': return typeof value === 'string' || Number.isInteger(value);
    case 'absent|integer': return value === undefined || Number.isInteger(value);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function describe(shape: Shape): string {
  if (typeof shape !== 'string') return 'list' in shape ? (shape.optional ? 'a list or nothing' : 'a list') : 'an object';
  if (shape === 'absent|integer') return 'an integer or absent';
  return shape === 'nullable' ? 'a string or null' : shape.replace('?', ' or null');
}

/**
 * The first part of `value` that does not have `shape`, or null. The path (`[0].id`) is
 * relative to `value` and built only on the way back from a problem: nothing is allocated
 * when the value fits.
 */
export function shapeProblem(value: unknown, shape: Shape): ShapeProblem | null {
  if (typeof shape === 'string') return hasKind(value, shape) ? null : { path: '', expected: describe(shape), value };
  if ('list' in shape) {
    if (value === undefined && shape.optional) return null;
    if (!Array.isArray(value)) return { path: '', expected: describe(shape), value };
    for (let i = 0; i < value.length; i++) {
      const problem = shapeProblem(value[i], shape.list);
      if (problem !== null) return { ...problem, path: `[${i}]${problem.path}` };
    }
    return null;
  }
  if (!isObject(value)) return { path: '', expected: describe(shape), value };
  for (const name in shape.fields) {
    const problem = shapeProblem(value[name], shape.fields[name]!);
    if (problem !== null) return { ...problem, path: `.${name}${problem.path}` };
  }
  return null;
}
