/** Turns trace text into everything the viewer shows, or a located error. */
import { runCheckers } from '../../../src/check/index.ts';
import type { CheckResult } from '../../../src/check/verdict.ts';
import type { AnyTraceEvent } from '../../../src/trace/events.ts';
import { parseTrace, TraceFormatError } from '../../../src/trace/reader.ts';
import { replayInput, type ReplayInput } from './replay.ts';
import { buildIndex, type TraceIndex } from './trace-index.ts';

export interface LoadedTrace {
  name: string;
  events: readonly AnyTraceEvent[];
  results: CheckResult[];
  index: TraceIndex;
  replay: ReplayInput;
  /** Milliseconds spent in each phase of loading. */
  phases: Record<string, number>;
}

export type LoadOutcome = { ok: true; trace: LoadedTrace } | { ok: false; message: string };

export function loadTrace(name: string, text: string): LoadOutcome {
  const phases: Record<string, number> = {};
  let mark = performance.now();
  const lap = (phase: string) => {
    const now = performance.now();
    phases[phase] = Math.round(now - mark);
    mark = now;
  };
  let events: AnyTraceEvent[];
  try {
    events = parseTrace(text);
    lap('parse');
  } catch (error) {
    if (error instanceof TraceFormatError) return { ok: false, message: `${name}: line ${error.line}: ${error.problem}` };
    return { ok: false, message: `${name}: ${(error as Error).message}` };
  }
  if (events.length === 0) return { ok: false, message: `${name}: the trace is empty` };
  let results: CheckResult[];
  try {
    results = runCheckers(events);
    lap('check');
  } catch (error) {
    // A trace can be well-formed yet confuse a checker; show it anyway.
    results = [];
    console.error('checkers failed', error);
  }
  const index = buildIndex(events, results);
  lap('index');
  const replay = replayInput(events);
  lap('replay');
  return { ok: true, trace: { name, events, results, index, replay, phases } };
}
