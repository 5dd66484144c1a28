/** Numbers and times as the viewer writes them. */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** 250ms, 1.25s, 42.5s, 16m 40s, 2h 46m 40s, 24h: short under a minute, in parts above. */
export function formatTime(ms: number): string {
  if (ms < 0) return `-${formatTime(-ms)}`;
  if (ms < SECOND) return `${Math.round(ms)}ms`;
  if (ms < 10 * SECOND) return `${Number((ms / SECOND).toFixed(2))}s`;
  if (ms < MINUTE) return `${Number((ms / SECOND).toFixed(1))}s`;
  const hours = Math.floor(ms / HOUR);
  const minutes = Math.floor((ms % HOUR) / MINUTE);
  const seconds = Number(((ms % MINUTE) / SECOND).toFixed(1));
  const parts = [hours > 0 ? `${hours}h` : '', minutes > 0 ? `${minutes}m` : '', seconds > 0 ? `${seconds}s` : ''];
  return parts.filter(Boolean).join(' ');
}

/** Steps a time axis may take from a minute on: round clock units, not 1-2-5 decades. */
const CLOCK_STEPS = [MINUTE, 2 * MINUTE, 5 * MINUTE, 10 * MINUTE, 15 * MINUTE, 30 * MINUTE, HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, 24 * HOUR];

/** The axis step for `span` ms in about `ticks` ticks: 1-2-5 × 10ⁿ ms below a minute, clock units above. */
export function niceTimeStep(span: number, ticks: number): number {
  const raw = span / ticks;
  if (raw > 30 * SECOND) {
    for (const step of CLOCK_STEPS) if (step >= raw) return step;
    return Math.ceil(raw / (24 * HOUR)) * 24 * HOUR;
  }
  const power = 10 ** Math.floor(Math.log10(Math.max(raw, 1)));
  for (const m of [1, 2, 5, 10]) if (m * power >= raw) return m * power;
  return 10 * power;
}

/** 100000 → "100,000". Not toLocaleString: its first call loads locale data (~60 ms, on the first render). */
export function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
