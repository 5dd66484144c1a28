/** First retry delay after a failed sync, doubled per consecutive failure up to the cap. */
export const BACKOFF_BASE_MS = 1_000;
export const BACKOFF_CAP_MS = 60_000;

/**
 * Exponential backoff with "equal jitter": half the delay is fixed, half is random, so
 * devices that failed together do not retry together, yet none retries too soon.
 */
export function backoffDelay(failures: number, random: () => number): number {
  const exponent = Math.min(Math.max(failures - 1, 0), 16);
  const delay = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** exponent);
  return Math.round(delay / 2 + (random() * delay) / 2);
}

/** After the server's Retry-After: never sooner, spread by up to a quarter second. */
export function retryAfterDelay(retryAfterMs: number, random: () => number): number {
  return Math.ceil(retryAfterMs + random() * 250);
}

/**
 * After a failed local transaction (the disk, not the network): the first retry comes at
 * once, since such errors are usually passing; a disk that keeps failing backs off as usual.
 */
export function localRetryDelay(failures: number, random: () => number): number {
  return failures <= 1 ? 100 + Math.round(random() * 100) : backoffDelay(failures - 1, random);
}
