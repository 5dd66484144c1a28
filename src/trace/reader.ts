import type { AnyTraceEvent, EventOf, KnownEventType } from './events.ts';
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

type FieldKind = 'string' | 'integer' | 'number' | 'boolean' | 'object' | 'array' | 'string?' | 'integer?' | 'array?' | 'nullable' | 'seed';

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
  invoke: { device: 'string', write: 'string', kind: 'string', task: 'string', value: 'object', basis: 'string?' },
  ok: { device: 'string', write: 'string', id: 'string?' },
  fail: { device: 'string', write: 'string', error: 'string' },
  read: { device: 'string', rows: 'array', since: 'integer?', gone: 'array?' },
  'engine-error': { device: 'string?', step: 'integer?', call: 'string', error: 'string', stack: 'string' },
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
    case 'array?': return value === undefined || Array.isArray(value);
    case 'nullable': return value === null || typeof value === 'string';
    case 'seed': return typeof value === 'string' || Number.isInteger(value);
  }
}

/** `required` as lists, made once: validating a line then allocates nothing. */
const requiredLists = new Map<string, ReadonlyArray<readonly [string, FieldKind]>>(
  Object.entries(required).map(([type, fields]) => [type, Object.entries(fields) as Array<[string, FieldKind]>]),
);

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
  const fields = requiredLists.get(event.type);
  if (fields) {
    for (const [name, kind] of fields) {
      if (!hasKind(event[name], kind)) {
        throw new TraceFormatError(line, `${event.type}: field "${name}" must be ${describe(kind)}, got ${JSON.stringify(event[name]) ?? 'nothing'}`);
      }
    }
    if (event.type === 'run.start') validateVerdictFields(event, line);
  }
  return event as AnyTraceEvent;
}

/** run.start's optional `expect`, `objectiveMs` and `finalHeal` (what the verdict depends on): checked to every depth when present. */
function validateVerdictFields(event: Record<string, unknown>, line: number): void {
  const fail = (field: string, what: string, value: unknown): never => {
    throw new TraceFormatError(line, `run.start: field "${field}" must be ${what}, got ${JSON.stringify(value) ?? 'nothing'}`);
  };
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  const { objectiveMs, finalHeal, expect } = event;
  if (objectiveMs !== undefined && !(typeof objectiveMs === 'number' && Number.isFinite(objectiveMs) && objectiveMs > 0)) fail('objectiveMs', 'a positive number', objectiveMs);
  if (finalHeal !== undefined && typeof finalHeal !== 'boolean') fail('finalHeal', 'boolean', finalHeal);
  if (expect === undefined) return;
  if (!isObject(expect)) return fail('expect', 'object', expect);
  const { tasks, syncLatency, violations } = expect;
  if (tasks !== undefined) {
    if (!isObject(tasks)) fail('expect.tasks', 'object', tasks);
    for (const [task, want] of Object.entries(tasks as Record<string, unknown>)) {
      const at = `expect.tasks.${task}`;
      if (!isObject(want)) return fail(at, 'object', want);
      if (want.title !== undefined && typeof want.title !== 'string') fail(`${at}.title`, 'string', want.title);
      if (want.completed !== undefined && typeof want.completed !== 'boolean') fail(`${at}.completed`, 'boolean', want.completed);
      if (want.deleted !== undefined && typeof want.deleted !== 'boolean') fail(`${at}.deleted`, 'boolean', want.deleted);
    }
  }
  if (syncLatency !== undefined) {
    if (!isObject(syncLatency)) fail('expect.syncLatency', 'object', syncLatency);
    const max = (syncLatency as Record<string, unknown>).max;
    if (!(typeof max === 'number' && Number.isFinite(max) && max > 0)) fail('expect.syncLatency.max', 'a positive number', max);
  }
  if (violations !== undefined && !(Array.isArray(violations) && violations.every((v) => typeof v === 'string'))) {
    fail('expect.violations', 'an array of strings', violations);
  }
}

/**
 * Parses and validates a JSONL trace. Blank trailing lines are fine; anything else that is
 * not a valid event is a TraceFormatError naming the line. When the trace has `run.end`,
 * its hash must match the lines before it.
 */
export function parseTrace(text: string): AnyTraceEvent[] {
  const reader = new TraceReader();
  reader.push(text);
  return reader.end();
}

/**
 * parseTrace as the text arrives, piece by piece (a streamed file): each complete line is
 * parsed, validated and hashed at once; `end()` takes the last line and returns the events.
 * The rules and messages are parseTrace's exactly. Blank lines wait: only the next
 * non-blank line shows whether they were trailing (fine) or in the middle (an error), and
 * an unreadable line is "maybe truncated" only if nothing but blanks follows it.
 */
export class TraceReader {
  readonly events: AnyTraceEvent[] = [];
  /**
   * With `hashRunEnd: false`, the run.end lines whose hash is left to the caller (who may
   * have the file's bytes and a native SHA-256: see `runEndMismatch`), and whether a line
   * ended in CR (the hash is over lines without it, so not the file's bytes).
   */
  readonly uncheckedRunEnds: Array<{ index: number; hash: unknown }> = [];
  sawCarriageReturn = false;
  // Pure-TS hash (not node:crypto) so the viewer can parse in a browser; lines are fed in
  // chunks because encoding and hashing line by line costs far more.
  private readonly hash = new Sha256();
  private unhashed: string[] = [];
  private previousT = 0;
  /** The text after the last newline: a line not complete yet. */
  private rest = '';
  /** Lines seen so far (complete, blank ones included). */
  private lines = 0;
  /** Blank lines not yet known to be trailing: the index of the first. */
  private firstBlank: number | null = null;
  /** Each device's latest read, which a compact read must name as `since`. */
  private readonly lastRead = new Map<string, number>();
  /** An unreadable line, thrown once a later non-blank line shows it was not the last. */
  private unreadable: { index: number; message: string } | null = null;

  /** `hashRunEnd: false` leaves the run.end hashes to the caller (`uncheckedRunEnds`). */
  constructor(private readonly options: { hashRunEnd?: boolean } = {}) {}

  push(text: string): void {
    const lines = (this.rest + text).split('\n');
    this.rest = lines.pop()!;
    for (const line of lines) this.line(line);
  }

  /** The end of the text: parses its last line and returns every event. */
  end(): AnyTraceEvent[] {
    if (this.rest !== '') this.line(this.rest);
    this.rest = '';
    if (this.unreadable !== null) throw new TraceFormatError(this.unreadable.index + 1, `${this.unreadable.message}; the file may be truncated`);
    return this.events;
  }

  private line(text: string): void {
    const index = this.lines++;
    const cr = text.endsWith('\r');
    if (cr) this.sawCarriageReturn = true;
    const raw = cr ? text.slice(0, -1) : text;
    // An event line starts with '{': only a line starting with whitespace can be blank.
    if (raw === '' || (raw.charCodeAt(0) <= 32 && raw.trim() === '')) {
      this.firstBlank ??= index;
      return;
    }
    if (this.unreadable !== null) throw new TraceFormatError(this.unreadable.index + 1, this.unreadable.message);
    if (this.firstBlank !== null) throw new TraceFormatError(this.firstBlank + 1, 'not valid JSON (Unexpected end of JSON input)');
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      this.unreadable = { index, message: `not valid JSON (${(error as Error).message})` };
      return;
    }
    const event = validate(value, index, this.previousT);
    if (event.type === 'read') this.checkReadChain(event as EventOf<'read'>, index);
    if (this.options.hashRunEnd === false) {
      if (event.type === 'run.end') this.uncheckedRunEnds.push({ index, hash: event.hash });
    } else {
      if (event.type === 'run.end') {
        this.flush();
        const expected = this.hash.copy().digest();
        if (event.hash !== expected) throw runEndMismatch(index, event.hash, expected);
      }
      this.unhashed.push(raw, '\n');
      if (this.unhashed.length >= 2048) this.flush();
    }
    this.previousT = event.t;
    this.events.push(event);
  }

  private checkReadChain(read: EventOf<'read'>, index: number): void {
    const previous = this.lastRead.get(read.device);
    if (typeof read.since === 'number' && read.since !== previous) {
      throw new TraceFormatError(index + 1, `read: "since" must be the seq of ${read.device}'s previous read (${previous ?? 'there is none'}), got ${read.since}`);
    }
    this.lastRead.set(read.device, read.seq);
  }

  private flush(): void {
    if (this.unhashed.length > 0) this.hash.update(this.unhashed.join(''));
    this.unhashed = [];
  }
}

/** The error for a run.end (0-based line `index`) whose hash is not the lines' before it. */
export function runEndMismatch(index: number, hash: unknown, expected: string): TraceFormatError {
  return new TraceFormatError(index + 1, `run.end hash ${String(hash)} does not match the lines before it (${expected})`);
}
