/** Everything the viewer draws from a trace's events: its indexes and its replay input. */
import type { AnyTraceEvent } from '../../../src/trace/events.ts';
import { replayInput, type ReplayInput } from './replay.ts';
import { buildIndex, type TraceIndex } from './trace-index.ts';

export interface LoadedTrace {
  name: string;
  events: readonly AnyTraceEvent[];
  index: TraceIndex;
  replay: ReplayInput;
  /** Milliseconds spent in each phase of loading. */
  phases: Record<string, number>;
}

export function modelOf(name: string, events: readonly AnyTraceEvent[], phases: Record<string, number> = {}): LoadedTrace {
  let mark = performance.now();
  const lap = (phase: string) => {
    const now = performance.now();
    phases[phase] = Math.round(now - mark);
    mark = now;
  };
  const index = buildIndex(events);
  lap('index');
  const replay = replayInput(events);
  lap('replay');
  return { name, events, index, replay, phases };
}
