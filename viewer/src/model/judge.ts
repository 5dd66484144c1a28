/**
 * The verdict on a trace: the reader's located error, or the run's whole verdict — the one
 * `syncsim run` and `syncsim check` give (judgeRun: the checkers, quiescence, engine errors,
 * the scenario's expectations). The trace worker runs it off the main thread while the
 * diagram is drawn from the page's own parse.
 */
import { judgeRun } from '../../../src/check/index.ts';
import type { CheckResult } from '../../../src/check/verdict.ts';
import type { AnyTraceEvent } from '../../../src/trace/events.ts';
import { runEndMismatch, TraceFormatError, TraceReader } from '../../../src/trace/reader.ts';

/** One verdict in the checker panel: a checker's, or one the trace recorded (quiescence, engine-error). */
export type CheckView = Pick<CheckResult, 'ok' | 'violations' | 'stats'> & {
  checker: string;
  /** Failing as the scenario's `expect.violations` says it should (a demonstration). */
  expected?: boolean;
};

/** The run's verdict as `syncsim run` gave it. */
export interface RunView {
  ok: boolean;
  expectedViolations: string[];
  failures: Array<{ what: string; message: string }>;
}

export type Verdict =
  | { ok: true; results: CheckView[]; run: RunView; phases: Record<string, number> }
  | { ok: false; message: string };

/** SHA-256 (hex) of the first `length` bytes of the file. */
export type PrefixHash = (length: number) => Promise<string>;

export interface JudgeInput {
  name: string;
  /** The file's text, in the pieces it arrived in. */
  pieces: readonly string[];
  /**
   * The file's bytes and a hash over them (the browser's native SHA-256): run.end is then
   * checked with it rather than with the reader's hash in JavaScript, several times faster.
   */
  bytes?: { data: Uint8Array; hash: PrefixHash };
}

export async function judgeStreamed({ name, pieces, bytes }: JudgeInput): Promise<Verdict> {
  let started = performance.now();
  let events: AnyTraceEvent[];
  try {
    events = bytes === undefined ? readAll(pieces) : await readHashingBytes(pieces, bytes);
  } catch (error) {
    if (error instanceof TraceFormatError) return { ok: false, message: `${name}: line ${error.line}: ${error.problem}` };
    return { ok: false, message: `${name}: ${(error as Error).message}` };
  }
  const parse = Math.round(performance.now() - started);
  started = performance.now();
  let results: CheckView[];
  let run: RunView;
  try {
    const verdict = judgeRun(events);
    const expected = new Set(verdict.expectedViolations);
    results = [...verdict.checks, ...verdict.recorded].map((r) => ({ ...r, ...(!r.ok && expected.has(r.checker) && { expected: true }) }));
    run = { ok: verdict.ok, expectedViolations: verdict.expectedViolations, failures: verdict.expectationFailures };
  } catch (error) {
    // A trace can be well-formed yet confuse a checker; it is shown anyway.
    results = [];
    run = { ok: false, expectedViolations: [], failures: [{ what: 'checkers', message: 'the checkers could not run on this trace' }] };
    console.error('checkers failed', error);
  }
  return { ok: true, results, run, phases: { 'check.parse': parse, 'check.run': Math.round(performance.now() - started) } };
}

function readAll(pieces: readonly string[]): AnyTraceEvent[] {
  const reader = new TraceReader();
  for (const piece of pieces) reader.push(piece);
  return reader.end();
}

/**
 * The reader without its own hashing, then run.end checked over the file's bytes: the lines
 * before it are exactly the bytes before its line when it is the last line and no line ends
 * in CR. Anything else (rare) is read again the reader's own way.
 */
async function readHashingBytes(pieces: readonly string[], bytes: { data: Uint8Array; hash: PrefixHash }): Promise<AnyTraceEvent[]> {
  const reader = new TraceReader({ hashRunEnd: false });
  for (const piece of pieces) reader.push(piece);
  const events = reader.end();
  const runEnds = reader.uncheckedRunEnds;
  if (runEnds.length === 0) return events;
  const last = runEnds[0]!;
  if (runEnds.length > 1 || reader.sawCarriageReturn || events[events.length - 1]?.type !== 'run.end') return readAll(pieces);
  const expected = await bytes.hash(startOfLastLine(bytes.data));
  if (last.hash !== expected) throw runEndMismatch(last.index, last.hash, expected);
  return events;
}

/** Where the file's last non-blank line starts. */
export function startOfLastLine(data: Uint8Array): number {
  let end = data.length;
  while (end > 0 && (data[end - 1] === 0x0a || data[end - 1] === 0x0d || data[end - 1] === 0x20 || data[end - 1] === 0x09)) end--;
  const newline = data.lastIndexOf(0x0a, end - 1);
  return newline + 1;
}

/** The verdict on a whole text at once, hashed by the reader (tests, and anywhere without bytes). */
export function judgeTrace(name: string, text: string): Promise<Verdict> {
  return judgeStreamed({ name, pieces: [text] });
}
