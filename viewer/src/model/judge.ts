/**
 * The verdict on a trace: the reader's located error, or every checker's result. The check
 * worker runs it off the main thread while the diagram is drawn from the draft parse.
 */
import { runCheckers } from '../../../src/check/index.ts';
import type { CheckResult } from '../../../src/check/verdict.ts';
import { parseTrace, TraceFormatError } from '../../../src/trace/reader.ts';

export type Verdict =
  | { ok: true; results: CheckResult[]; phases: Record<string, number> }
  | { ok: false; message: string };

export function judgeTrace(name: string, text: string): Verdict {
  let mark = performance.now();
  const lap = () => {
    const now = performance.now();
    const ms = Math.round(now - mark);
    mark = now;
    return ms;
  };
  let events;
  try {
    events = parseTrace(text);
  } catch (error) {
    if (error instanceof TraceFormatError) return { ok: false, message: `${name}: line ${error.line}: ${error.problem}` };
    return { ok: false, message: `${name}: ${(error as Error).message}` };
  }
  if (events.length === 0) return { ok: false, message: `${name}: the trace is empty` };
  const parse = lap();
  let results: CheckResult[];
  try {
    results = runCheckers(events);
  } catch (error) {
    // A trace can be well-formed yet confuse a checker; it is shown anyway.
    results = [];
    console.error('checkers failed', error);
  }
  return { ok: true, results, phases: { 'check.parse': parse, 'check.run': lap() } };
}
