import type { AnyTraceEvent, EventOf } from '../trace/index.ts';

/**
 * How far apart two device clocks were at most during the run, in ms: the spread of every
 * skew a device had (run.start's and each `skew` fault's), widened by the drift each could
 * accumulate over the run. Without an engine's LWW stamps, a write made at least this long
 * (plus a second) after another write of its task must beat it, whatever clocks the engine
 * stamps with (SPEC §6).
 */
export function clockSpread(events: readonly AnyTraceEvent[]): number {
  let min = 0;
  let max = 0;
  let maxDrift = 0;
  const see = (skew: unknown, drift?: unknown) => {
    if (typeof skew === 'number' && Number.isFinite(skew)) {
      min = Math.min(min, skew);
      max = Math.max(max, skew);
    }
    if (typeof drift === 'number' && Number.isFinite(drift)) maxDrift = Math.max(maxDrift, Math.abs(drift));
  };
  for (const event of events) {
    if (event.type === 'run.start') {
      for (const d of (event as EventOf<'run.start'>).devices) see(d.skew, (d as { drift?: unknown }).drift);
    } else if (event.type === 'fault' && (event as EventOf<'fault'>).kind === 'skew') {
      const detail = (event as EventOf<'fault'>).detail;
      see(detail.skew, detail.drift);
    }
  }
  const end = events.length === 0 ? 0 : events[events.length - 1]!.t;
  return max - min + Math.ceil((2 * maxDrift * end) / 1e6);
}

/** Real-time LWW's margin beyond the clocks' spread: stamps are read a little before or after a write's instant. */
export const REAL_TIME_MARGIN_MS = 1000;
