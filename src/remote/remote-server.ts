import { errorPayload, retryLater } from '../server/errors.ts';
import { RateLimiter, type RateLimit } from '../server/rate-limit.ts';
import type { ServerApplyEvent } from '../server/types.ts';
import { readAllTasks, readCursor, type RemoteTask } from './end-state.ts';
import { exchange, RemoteServerError, type Exchange, type ExchangeReply } from './http-exchange.ts';
import { decisionsOf } from './replies.ts';

/** Where a run's devices find their server when it is a real one (`run/fuzz --server URL --token T`). */
export interface RemoteTarget {
  url: string;
  /** The bearer token of each scenario user (`demo` is the default user). */
  tokens: Record<string, string>;
  /** A shell command that gives the server a fresh state; run before each run. */
  reset?: string;
  /** How long one request may take at the server (default 10 s). */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * A real HTTP server in the place of the server model. The faults a scenario asks of the
 * server that can be played in front of it — unavailability (503) and a rate limit (429),
 * both with Retry-After — are answered here, as a load balancer would, without reaching
 * it; the rest reach it as they came. What it decided is read from its replies.
 */
export class RemoteServer {
  readonly base: URL;
  private readonly users = new Map<string, string>();
  private readonly timeoutMs: number;
  private unavailableUntil = Number.NEGATIVE_INFINITY;
  private rateLimit: RateLimit | null = null;
  private limiter: RateLimiter | null = null;

  constructor(readonly target: RemoteTarget) {
    let base: URL;
    try {
      base = new URL(target.url);
    } catch {
      throw new RemoteServerError(`--server: "${target.url}" is not a URL`);
    }
    if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new RemoteServerError(`--server: "${target.url}" is not an http(s) URL`);
    this.base = base;
    this.timeoutMs = target.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    for (const [user, token] of Object.entries(target.tokens)) this.users.set(token, user);
  }

  tokenOf(user: string): string {
    const token = this.target.tokens[user];
    if (token === undefined) throw new RemoteServerError(`--server: no --token for user "${user}" (give --token ${user}:TOKEN)`);
    return token;
  }

  /** The reply of the front, when it answers for the server at virtual time `now`; else null. */
  front(request: Exchange, now: number): ExchangeReply | null {
    if (now < this.unavailableUntil) {
      return refusal(503, 'SERVICE_UNAVAILABLE', 'the server is unavailable', Math.max(1, Math.ceil((this.unavailableUntil - now) / 1000)));
    }
    const wait = this.limiter?.take(this.userOf(request) ?? '', now) ?? null;
    return wait === null ? null : refusal(429, 'RATE_LIMITED', 'too many requests', wait);
  }

  /** Sends the request to the real server; resolves to its reply and what it decided. */
  async forward(request: Exchange): Promise<{ reply: ExchangeReply; decisions: ServerApplyEvent[] }> {
    const reply = await exchange(this.base, request, this.timeoutMs);
    const user = this.userOf(request);
    return { reply, decisions: user === undefined ? [] : decisionsOf(request, reply, user) };
  }

  setUnavailable(untilMs: number): void {
    this.unavailableUntil = untilMs;
  }

  setRateLimit(limit: RateLimit | null): void {
    this.rateLimit = limit !== null && limit.capacity > 0 ? { ...limit } : null;
    this.limiter = this.rateLimit && new RateLimiter(this.rateLimit);
  }

  /** The front's volatile state goes with a restart; the server's own is its business. */
  restart(): void {
    this.limiter = this.rateLimit && new RateLimiter(this.rateLimit);
  }

  tasks(user: string): Promise<RemoteTask[]> {
    return readAllTasks(this.base, this.tokenOf(user), this.timeoutMs);
  }

  cursor(user: string): Promise<string> {
    return readCursor(this.base, this.tokenOf(user), this.timeoutMs);
  }

  private userOf(request: Exchange): string | undefined {
    const token = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
    return token === undefined ? undefined : this.users.get(token);
  }
}

/** The model's own 503/429 (errors.ts), as the front sends it. */
function refusal(status: 429 | 503, code: 'RATE_LIMITED' | 'SERVICE_UNAVAILABLE', message: string, seconds: number): ExchangeReply {
  const error = retryLater(status, code, message, seconds);
  return { status, headers: { 'content-type': 'application/json', ...error.headers }, body: new TextEncoder().encode(JSON.stringify(errorPayload(error))) };
}
