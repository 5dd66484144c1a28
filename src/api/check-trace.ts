import { judgeRun, type JudgeOptions, type RunVerdict } from '../check/index.ts';
import { parseTrace, type AnyTraceEvent } from '../trace/index.ts';

/** Reads a trace's JSON lines, validating every event; throws a TraceFormatError naming the line. */
export function readTrace(text: string): AnyTraceEvent[] {
  return parseTrace(text);
}

/** The checkers on a trace (its text or its events): the verdict `syncsim check` gives. */
export function checkTrace(trace: string | readonly AnyTraceEvent[], options: JudgeOptions = {}): RunVerdict {
  return judgeRun(typeof trace === 'string' ? parseTrace(trace) : trace, options);
}
