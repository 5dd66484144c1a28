/**
 * The verdict on a trace: the reader's located error, or every checker's result. The trace
 * worker feeds it the text as it streams in (parsing, validating and hashing each line at
 * once) and runs the checkers at the end, off the main thread, while the page draws.
 */
import { runCheckers } from '../../../src/check/index.ts';
import type { CheckResult } from '../../../src/check/verdict.ts';
import { TraceFormatError, TraceReader } from '../../../src/trace/reader.ts';

export type Verdict =
  | { ok: true; results: CheckResult[]; phases: Record<string, number> }
  | { ok: false; message: string };

export class TraceJudge {
  private readonly reader = new TraceReader();
  private failure: Verdict | null = null;
  private parseMs = 0;

  constructor(private readonly name: string) {}

  /** The next piece of the text; a problem found is kept for `end()`. */
  push(text: string): void {
    if (this.failure !== null) return;
    const started = performance.now();
    try {
      this.reader.push(text);
    } catch (error) {
      this.failure = this.located(error);
    }
    this.parseMs += performance.now() - started;
  }

  end(): Verdict {
    if (this.failure !== null) return this.failure;
    let started = performance.now();
    let events;
    try {
      events = this.reader.end();
    } catch (error) {
      return this.located(error);
    }
    if (events.length === 0) return { ok: false, message: `${this.name}: the trace is empty` };
    const parse = Math.round(this.parseMs + performance.now() - started);
    started = performance.now();
    let results: CheckResult[];
    try {
      results = runCheckers(events);
    } catch (error) {
      // A trace can be well-formed yet confuse a checker; it is shown anyway.
      results = [];
      console.error('checkers failed', error);
    }
    return { ok: true, results, phases: { 'check.parse': parse, 'check.run': Math.round(performance.now() - started) } };
  }

  private located(error: unknown): Verdict {
    if (error instanceof TraceFormatError) return { ok: false, message: `${this.name}: line ${error.line}: ${error.problem}` };
    return { ok: false, message: `${this.name}: ${(error as Error).message}` };
  }
}

/** The verdict on a whole text at once. */
export function judgeTrace(name: string, text: string): Verdict {
  const judge = new TraceJudge(name);
  judge.push(text);
  return judge.end();
}
