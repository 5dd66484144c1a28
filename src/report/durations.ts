/** Durations for people: clock units (`2h 46m 40s`), as the summary line gives virtual time. */
export function clockDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const parts = [h > 0 ? `${h}h` : '', m > 0 ? `${m}m` : '', s > 0 ? `${s}s` : ''].filter((p) => p !== '');
  return parts.join(' ') || '0s';
}

/** A short duration for a narrow column: `765ms`, `2.4s`, `42s`, then clock units. */
export function shortDuration(ms: number | null): string {
  if (ms === null) return '-';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 10_000) return `${(Math.floor(ms / 100) / 10).toFixed(1)}s`;
  return clockDuration(ms);
}
