import { assert } from './assert.ts';
import { apiError, retryLater } from './errors.ts';
import { header, type HttpRequest, type HttpResponse } from './http.ts';
import { RateLimiter, type RateLimit } from './rate-limit.ts';
import { acceptsGzip, encodeReply, errorReply, type Reply } from './respond.ts';
import { matchRoute } from './routes/table.ts';
import type { ServerLimits } from './limits.ts';
import { ServerState } from './state.ts';
import type { ServerApplyEvent, WireTask } from './types.ts';

export type { ServerApplyEvent, WireTask } from './types.ts';

export interface SyncServerOptions {
  users?: Array<{ name: string; token: string }>;
  /** Called once per write decision, after the decision is in the store and before `handle` returns. */
  onApply?: (event: ServerApplyEvent) => void;
  /** Per-user budgets and the reply size (limits.ts `DEFAULT_LIMITS` for what is left out). */
  limits?: Partial<ServerLimits>;
}

/**
 * The sync server model: a synchronous request handler over a durable in-memory store.
 * The same object serves the simulator (virtual `now`) and `syncsim serve` (real clock).
 */
export class SyncServer {
  private readonly state: ServerState;
  private readonly users = new Map<string, string>();
  private readonly onApply: ((event: ServerApplyEvent) => void) | undefined;
  private unavailableUntil = Number.NEGATIVE_INFINITY;
  private rateLimit: RateLimit | null = null;
  private limiter: RateLimiter | null = null;

  constructor(options: SyncServerOptions = {}) {
    this.state = new ServerState(options.limits);
    this.onApply = options.onApply;
    for (const { name, token } of options.users ?? []) this.addUser(name, token);
  }

  /** Registers a bearer token for a user; a user may have several tokens, a token names one user. */
  addUser(name: string, token: string): void {
    assert(name !== '' && token !== '', 'a user needs a name and a token');
    const owner = this.users.get(token);
    assert(owner === undefined || owner === name, `token already belongs to user ${owner ?? ''}`);
    this.users.set(token, name);
    this.state.store(name);
  }

  /**
   * Answers one request at server time `now` (ms). Never throws on its own: a broken
   * invariant becomes a 500 reply. Apply events are delivered after the reply is built,
   * so an exception thrown by `onApply` reaches the caller unchanged.
   */
  handle(request: HttpRequest, now: number): HttpResponse {
    const events: ServerApplyEvent[] = [];
    let response: HttpResponse;
    let head = false;
    try {
      head = request.method.toUpperCase() === 'HEAD';
      const reply = this.dispatch(request, now, (event) => events.push(event));
      response = encodeReply(reply, acceptsGzip(request) && !head);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      response = encodeReply(errorReply(apiError(500, 'INTERNAL', message)), false);
    }
    // A HEAD reply carries headers only, errors included.
    if (head) response = { ...response, body: null };
    for (const event of events) this.onApply?.(event);
    return response;
  }

  /** Every request is 503 with Retry-After until `untilMs` (server time). */
  setUnavailable(untilMs: number): void {
    this.unavailableUntil = untilMs;
  }

  /** A token bucket per user; null or a capacity of 0 turns it off. A new limit starts with full buckets. */
  setRateLimit(limit: RateLimit | null): void {
    if (limit === null || limit.capacity <= 0) {
      this.rateLimit = null;
      this.limiter = null;
      return;
    }
    assert(Number.isFinite(limit.capacity) && Number.isFinite(limit.refillPerSecond), 'rate limit must be finite');
    assert(limit.refillPerSecond >= 0, 'refillPerSecond must not be negative');
    this.rateLimit = { ...limit };
    this.limiter = new RateLimiter(this.rateLimit);
  }

  /** Live tasks per user; null turns the quota off. */
  setQuota(limit: number | null): void {
    assert(limit === null || (Number.isSafeInteger(limit) && limit >= 0), 'quota must be a non-negative integer');
    this.state.quota = limit;
  }

  /** A process restart: volatile state (rate-limit buckets) is lost; tasks, keys and cursors are durable. */
  restart(): void {
    this.limiter = this.rateLimit && new RateLimiter(this.rateLimit);
  }

  /** The budgets in force (limits.ts). */
  get limits(): Readonly<ServerLimits> {
    return this.state.limits;
  }

  /** Every task of a user, tombstones included, in id (creation) order: for end-of-run snapshots. */
  tasks(user: string): WireTask[] {
    return this.state.peek(user)?.all() ?? [];
  }

  /** The user's change cursor (0 before any change). */
  cursor(user: string): number {
    return this.state.peek(user)?.cursor ?? 0;
  }

  /** The user a request's bearer token names, if any: for adapters that label traffic by user. */
  userOf(request: HttpRequest): string | undefined {
    return this.authenticate(request);
  }

  private dispatch(request: HttpRequest, now: number, emit: (event: ServerApplyEvent) => void): Reply {
    if (now < this.unavailableUntil) {
      const seconds = Math.max(1, Math.ceil((this.unavailableUntil - now) / 1000));
      return errorReply(retryLater(503, 'SERVICE_UNAVAILABLE', 'the server is unavailable', seconds));
    }
    const user = this.authenticate(request);
    if (user === undefined) {
      const error = apiError(401, 'UNAUTHORIZED', 'a valid Authorization: Bearer <token> header is required');
      return errorReply({ ...error, headers: { 'www-authenticate': 'Bearer' } });
    }
    const wait = this.limiter?.take(user, now) ?? null;
    if (wait !== null) return errorReply(retryLater(429, 'RATE_LIMITED', 'too many requests', wait));
    const { pathname, query } = splitPath(request.path);
    const method = request.method.toUpperCase();
    const match = matchRoute(method, pathname);
    if ('code' in match) return errorReply(match);
    return match.handler({ request, user, state: this.state, now, query, params: match.params, emit });
  }

  private authenticate(request: HttpRequest): string | undefined {
    const found = /^Bearer\s+(\S+)\s*$/i.exec(header(request, 'authorization') ?? '');
    return found?.[1] === undefined ? undefined : this.users.get(found[1]);
  }
}

function splitPath(path: string): { pathname: string; query: URLSearchParams } {
  const withoutFragment = path.split('#', 1)[0] ?? '';
  const mark = withoutFragment.indexOf('?');
  if (mark < 0) return { pathname: withoutFragment, query: new URLSearchParams() };
  return { pathname: withoutFragment.slice(0, mark), query: new URLSearchParams(withoutFragment.slice(mark + 1)) };
}
