/** A token bucket per user: `capacity` requests at once, refilled at `refillPerSecond`. */
export interface RateLimit {
  capacity: number;
  refillPerSecond: number;
}

/** Retry-After when the bucket never refills: a client should come back later, not never. */
const NO_REFILL_RETRY_SECONDS = 60;

interface Bucket {
  tokens: number;
  at: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly limit: RateLimit) {}

  /** Takes one token for the user at `now`; `null` when allowed, else the Retry-After in seconds. */
  take(user: string, now: number): number | null {
    const { capacity, refillPerSecond } = this.limit;
    const bucket = this.buckets.get(user) ?? { tokens: capacity, at: now };
    // A clock that steps back (a real server's) must not drain or overfill the bucket.
    const elapsed = Math.max(0, now - bucket.at);
    bucket.tokens = Math.min(capacity, bucket.tokens + (elapsed * refillPerSecond) / 1000);
    bucket.at = Math.max(bucket.at, now);
    this.buckets.set(user, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return null;
    }
    if (refillPerSecond <= 0) return NO_REFILL_RETRY_SECONDS;
    return Math.max(1, Math.ceil((1 - bucket.tokens) / refillPerSecond));
  }
}
