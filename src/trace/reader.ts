import type { AnyTraceEvent, EventOf, KnownEventType } from './events.ts';
import { EVENT_SHAPES, shapeProblem, type Shape } from './event-shapes.ts';
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

/** `EVENT_SHAPES` as lists, made once: validating a line then allocates nothing. */
const shapeLists = new Map<string, ReadonlyArray<readonly [string, Shape]>>(
  Object.entries(EVENT_SHAPES).map(([type, fields]) => [type, Object.entries(fields) as Array<[string, Shape]>]),
);

/** A value as a message shows it: JSON, cut short (a hostile field may be megabytes). */
function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? 'nothing';
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Checks one parsed line against the header rules and its type's required fields. */
function validate(value: unknown, index: number, previousT: number): AnyTraceEvent {
  const line = index + 1;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TraceFormatError(line, 'an event must be a JSON object');
  }
  const event = value as Record<string, unknown>;
  checkHeader(event, index, previousT);
  const fields = shapeLists.get(event.type as string);
  if (fields) {
    for (const [name, shape] of fields) {
      const problem = shapeProblem(event[name], shape);
      if (problem !== null) throw new TraceFormatError(line, `${event.type as string}: field "${name}${problem.path}" must be ${problem.expected}, got ${shown(problem.value)}`);
    }
    if (event.type === 'run.start') validateVerdictFields(event, line);
  }
  return event as AnyTraceEvent;
}

/** The header rules: seq counts lines, t never goes back, type names the event. */
function checkHeader(event: Record<string, unknown>, index: number, previousT: number): void {
  const line = index + 1;
  if (event.seq !== index) throw new TraceFormatError(line, `seq must be ${index}, got ${JSON.stringify(event.seq)}`);
  if (!Number.isInteger(event.t) || (event.t as number) < 0) {
    throw new TraceFormatError(line, `t must be a non-negative integer, got ${JSON.stringify(event.t)}`);
  }
  if ((event.t as number) < previousT) throw new TraceFormatError(line, `t goes back in time (${event.t} < ${previousT})`);
  if (typeof event.type !== 'string' || event.type === '') throw new TraceFormatError(line, 'type must be a non-empty string');
}

/** run.start's optional `expect`, `objectiveMs` and `finalHeal` (what the verdict depends on): checked to every depth when present. */
function validateVerdictFields(event: Record<string, unknown>, line: number): void {
  const fail = (field: string, what: string, value: unknown): never => {
    throw new TraceFormatError(line, `run.start: field "${field}" must be ${what}, got ${shown(value)}`);
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
 * not a valid event (event-shapes.ts, to every depth the checkers read) is a
 * TraceFormatError naming the line, and so is an empty trace, a first event other than
 * `run.start` and an event after `run.end`, whose hash must match the lines before it.
 */
export function parseTrace(text: string): AnyTraceEvent[] {
  const reader = new TraceReader();
  reader.push(text);
  return reader.end();
}

export interface TraceReaderOptions {
  hashRunEnd?: boolean;
  compact?: (event: AnyTraceEvent) => AnyTraceEvent;
  fastLine?: (line: string) => AnyTraceEvent | undefined;
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
  /** The line index of run.end, once seen: nothing may follow it. */
  private endIndex: number | null = null;

  /**
   * `hashRunEnd: false` leaves the run.end hashes to the caller (`uncheckedRunEnds`).
   * `compact` gives what to keep of each valid event (a caller that needs only some
   * fields keeps a million events in little memory); the rules see the whole event.
   * `fastLine` may read a line of a form it knows straight into what `compact` would keep
   * of it (skipping JSON.parse); it must decline (undefined) any line it is not sure of.
   */
  constructor(private readonly options: TraceReaderOptions = {}) {}

  /** How many events were read so far. */
  get count(): number {
    return this.events.length;
  }

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
    // SPEC §5: an empty trace is bad input, not a run that passed.
    if (this.events.length === 0) throw new TraceFormatError(1, 'the trace is empty: a trace starts with a run.start event');
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
    let event = this.options.fastLine?.(raw);
    let kept = event;
    if (event !== undefined) {
      checkHeader(event as unknown as Record<string, unknown>, index, this.previousT);
    } else {
      let value: unknown;
      try {
        value = JSON.parse(raw);
      } catch (error) {
        this.unreadable = { index, message: `not valid JSON (${(error as Error).message})` };
        return;
      }
      event = validate(value, index, this.previousT);
      kept = this.options.compact === undefined ? event : this.options.compact(event);
    }
    if (this.events.length === 0 && event.type !== 'run.start') throw new TraceFormatError(index + 1, `the trace has no run.start: its first event must be run.start, got ${shown(event.type)}`);
    if (this.endIndex !== null) throw new TraceFormatError(index + 1, `an event after run.end (line ${this.endIndex + 1}): run.end must be the last event`);
    if (event.type === 'run.end') this.endIndex = index;
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
    this.events.push(kept!);
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
