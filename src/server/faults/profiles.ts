/**
 * Fault profiles of `serve --faults` (SPEC §7). Rates are per request; at most one of the
 * answer faults (unavailable … duplicate) hits a request, latency comes on top. Outages
 * are counted in requests, not seconds, so that the same seed and the same requests give
 * the same faults whatever the real clock does.
 */
export interface FaultProfile {
  name: string;
  summary: string;
  /** Probability that a request waits, and for how long (uniform in [minMs, maxMs]). */
  latency: { rate: number; minMs: number; maxMs: number };
  /** 503 SERVICE_UNAVAILABLE with Retry-After, the request not applied. */
  unavailable: number;
  /** 429 RATE_LIMITED with Retry-After, the request not applied. */
  rateLimited: number;
  /** The connection is reset before the request reaches the model: nothing applied, no reply. */
  resetBeforeApply: number;
  /** The request is applied (and journaled), then the connection is reset: the lost acknowledgement. */
  resetAfterApply: number;
  /** The request is applied twice, as a retry would be; the client gets the second reply. Writes only. */
  duplicate: number;
  /** Retry-After seconds of the 503/429 answers (uniform integer in [min, max]). */
  retryAfterS: { min: number; max: number };
  /** A run of consecutive 503s: the chance a request starts one, and its length in requests. */
  outage: { rate: number; minRequests: number; maxRequests: number };
}

const none = { rate: 0, minRequests: 0, maxRequests: 0 };

export const FAULT_PROFILES = {
  calm: {
    name: 'calm',
    summary: 'a little latency (10–50 ms on every request), nothing else',
    latency: { rate: 1, minMs: 10, maxMs: 50 },
    unavailable: 0, rateLimited: 0, resetBeforeApply: 0, resetAfterApply: 0, duplicate: 0,
    retryAfterS: { min: 1, max: 1 },
    outage: none,
  },
  flaky: {
    name: 'flaky',
    summary: 'a mobile network on a bad day: 30% of requests 50–800 ms slower; 3% each of 503, 429, reset before apply, reset after apply (lost reply), duplicate application',
    latency: { rate: 0.3, minMs: 50, maxMs: 800 },
    unavailable: 0.03, rateLimited: 0.03, resetBeforeApply: 0.03, resetAfterApply: 0.03, duplicate: 0.03,
    retryAfterS: { min: 1, max: 3 },
    outage: none,
  },
  outage: {
    name: 'outage',
    summary: 'the backend goes down now and then: 3% of requests start an outage of 5–20 requests answered 503 (Retry-After 2–8 s); 2% resets before apply; 20% of requests 50–300 ms slower',
    latency: { rate: 0.2, minMs: 50, maxMs: 300 },
    unavailable: 0, rateLimited: 0, resetBeforeApply: 0.02, resetAfterApply: 0, duplicate: 0,
    retryAfterS: { min: 2, max: 8 },
    outage: { rate: 0.03, minRequests: 5, maxRequests: 20 },
  },
  chaos: {
    name: 'chaos',
    summary: 'everything at once: 50% of requests 0–2000 ms slower; 5% each of 503, 429, reset before apply, reset after apply, duplicate; 1% start an outage of 3–10 requests',
    latency: { rate: 0.5, minMs: 0, maxMs: 2000 },
    unavailable: 0.05, rateLimited: 0.05, resetBeforeApply: 0.05, resetAfterApply: 0.05, duplicate: 0.05,
    retryAfterS: { min: 1, max: 5 },
    outage: { rate: 0.01, minRequests: 3, maxRequests: 10 },
  },
} as const satisfies Record<string, FaultProfile>;

export type FaultProfileName = keyof typeof FAULT_PROFILES;

export function isFaultProfileName(name: string): name is FaultProfileName {
  return Object.hasOwn(FAULT_PROFILES, name);
}
