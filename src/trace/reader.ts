import type { AnyTraceEvent, KnownEventType } from './events.ts';
import { Sha256 } from './sha256.ts';

/** A problem in a trace file, located by its 1-based line number. */
export class TraceFormatError extends Error {
  override name = 'TraceFormatError';
  constructor(
    readonly line: number,
    readonly problem: string,
  ) {
    super(`line ${line}: ${problem}`);
  }
}

type FieldKind = 'string' | 'integer' | 'number' | 'boolean' | 'object' | 'array' | 'string?' | 'integer?' | 'nullable' | 'seed';

/** The fields each known type must carry, and their kinds. Other fields are ignored. */
const required: Record<KnownEventType, Record<string, FieldKind>> = {
  'run.start': { version: 'integer', scenario: 'string', seed: 'seed', engine: 'string', devices: 'array' },
  op: { device: 'string', write: 'string', kind: 'string', task: 'string', value: 'object', basis: 'nullable', stamp: 'string' },
  'msg.send': { msg: 'integer', from: 'string', to: 'string', method: 'string', path: 'string', reply: 'integer?', status: 'integer?' },
  'msg.deliver': { msg: 'integer', from: 'string', to: 'string' },
  'msg.drop': { msg: 'integer', from: 'string', to: 'string', reason: 'string' },
  'msg.dup': { msg: 'integer', of: 'integer', from: 'string', to: 'string' },
  fault: { kind: 'string', detail: 'object' },
  'server.apply': { write: 'string?', task: 'string', result: 'string', version: 'integer', cursor: 'integer' },
  'device.apply': { device: 'string', task: 'string', write: 'string?', source: 'string' },
  snapshot: { node: 'string', tasks: 'array', queue: 'array' },
  check: { checker: 'string', ok: 'boolean' },
  'run.end': { ok: 'boolean', violations: 'array', hash: 'string' },
};

function hasKind(value: unknown, kind: FieldKind): boolean {
  switch (kind) {
    case 'string': return typeof value === 'string';
    case 'integer': return Number.isInteger(value);
    case 'number': return typeof value === 'number' && Number.isFinite(value);
    case 'boolean': return typeof value === 'boolean';
    case 'object': return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'array': return Array.isArray(value);
    case 'string?': return value === undefined || value === null || typeof value === 'string';
    case 'integer?': return value === undefined || value === null || Number.isInteger(value);
    case 'nullable': return value === null || typeof value === 'string';
    case 'seed': return typeof value === 'string' || Number.isInteger(value);
  }
}

const describe = (kind: FieldKind) => (kind === 'nullable' ? 'a string or null' : kind.replace('?', ' or null'));

/** Checks one parsed line against the header rules and its type's required fields. */
function validate(value: unknown, index: number, previousT: number): AnyTraceEvent {
  const line = index + 1;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TraceFormatError(line, 'an event must be a JSON object');
  }
  const event = value as Record<string, unknown>;
  if (event.seq !== index) throw new TraceFormatError(line, `seq must be ${index}, got ${JSON.stringify(event.seq)}`);
  if (!Number.isInteger(event.t) || (event.t as number) < 0) {
    throw new TraceFormatError(line, `t must be a non-negative integer, got ${JSON.stringify(event.t)}`);
  }
  if ((event.t as number) < previousT) throw new TraceFormatError(line, `t goes back in time (${event.t} < ${previousT})`);
  if (typeof event.type !== 'string' || event.type === '') throw new TraceFormatError(line, 'type must be a non-empty string');
  const fields = required[event.type as KnownEventType] as Record<string, FieldKind> | undefined;
  if (fields) {
    for (const [name, kind] of Object.entries(fields)) {
      if (!hasKind(event[name], kind)) {
        throw new TraceFormatError(line, `${event.type}: field "${name}" must be ${describe(kind)}, got ${JSON.stringify(event[name]) ?? 'nothing'}`);
      }
    }
  }
  return event as AnyTraceEvent;
}

/**
 * Parses and validates a JSONL trace. Blank trailing lines are fine; anything else that is
 * not a valid event is a TraceFormatError naming the line. When the trace has `run.end`,
 * its hash must match the lines before it.
 */
export function parseTrace(text: string): AnyTraceEvent[] {
  const lines = text.split('\n');
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop();
  const events: AnyTraceEvent[] = [];
  // Pure-TS hash (not node:crypto) so the viewer can parse in a browser; lines are fed in
  // chunks because encoding and hashing line by line costs far more.
  const hash = new Sha256();
  let unhashed: string[] = [];
  const flush = () => {
    if (unhashed.length > 0) hash.update(unhashed.join(''));
    unhashed = [];
  };
  let previousT = 0;
  for (let index = 0; index < lines.length; index++) {
    const raw = lines[index]!.endsWith('\r') ? lines[index]!.slice(0, -1) : lines[index]!;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      throw new TraceFormatError(index + 1, `not valid JSON (${(error as Error).message})${index === lines.length - 1 ? '; the file may be truncated' : ''}`);
    }
    const event = validate(value, index, previousT);
    if (event.type === 'run.end') {
      flush();
      const expected = hash.copy().digest();
      if (event.hash !== expected) throw new TraceFormatError(index + 1, `run.end hash ${String(event.hash)} does not match the lines before it (${expected})`);
    }
    unhashed.push(raw, '\n');
    if (unhashed.length >= 2048) flush();
    previousT = event.t;
    events.push(event);
  }
  return events;
}
