/** Numbers and times as the viewer writes them. */

export function formatTime(ms: number): string {
  if (Math.abs(ms) >= 10_000) return `${Number((ms / 1000).toFixed(1))}s`;
  if (Math.abs(ms) >= 1000) return `${Number((ms / 1000).toFixed(2))}s`;
  return `${Math.round(ms)}ms`;
}

/** 100000 → "100,000". Not toLocaleString: its first call loads locale data (~60 ms, on the first render). */
export function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
