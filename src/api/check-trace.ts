import { judgeRun, type JudgeOptions, type RunVerdict } from '../check/index.ts';
import { parseTrace, type AnyTraceEvent } from '../trace/index.ts';
import { readTraceBytes } from './trace-bytes.ts';

/**
 * Reads a trace's JSON lines, validating every event; throws a TraceFormatError naming the
 * line. Given bytes (a file's content), it also refuses invalid UTF-8 at its line.
 */
export function readTrace(trace: string | Uint8Array): AnyTraceEvent[] {
  return typeof trace === 'string' ? parseTrace(trace) : readTraceBytes(trace);
}

/** The checkers on a trace (its text, its bytes or its events): the verdict `syncsim check` gives. */
export function checkTrace(trace: string | Uint8Array | readonly AnyTraceEvent[], options: JudgeOptions = {}): RunVerdict {
  return judgeRun(typeof trace === 'string' || trace instanceof Uint8Array ? readTrace(trace) : trace, options);
}
