import { http, HttpResponse as FetchResponse, type HttpHandler } from 'msw';
import { SyncServer, type RateLimit, type ServerApplyEvent, type WireTask } from '../server/index.ts';
import { CountedFaults, type CountedFault } from './counted-faults.ts';
import { apiLocation, fetchResponse, modelRequest } from './fetch-adapter.ts';
import type { RequestLine } from './request-match.ts';

export interface SyncUser {
  name: string;
  /** The bearer token that names this user: `Authorization: Bearer <token>`. */
  token: string;
}

export interface SyncHandlersOptions {
  /** Where the app sends its API calls, e.g. "https://api.example.test" (a path prefix is allowed). */
  baseUrl: string;
  users: SyncUser[];
  /** Live tasks per user; past it a create is 403 QUOTA_EXCEEDED. Off when absent or null. */
  quota?: number | null;
  /** Server time in ms. Date.now by default, since msw runs in real time; inject one for deterministic tests. */
  clock?: () => number;
  /** Called once per write decision of the server (applied, duplicate, conflict, rejected). */
  onApply?: (event: ServerApplyEvent) => void;
}

/** What became of one request: answered, applied with its reply lost, or lost before the server saw it. */
export type RequestOutcome = 'answered' | 'reply-lost' | 'dropped';

export interface ServedRequest {
  /** Server time when it arrived. */
  at: number;
  method: string;
  /** The API path with its query, base URL removed. */
  path: string;
  outcome: RequestOutcome;
  /** The status the server decided; null when the request was dropped before it. */
  status: number | null;
}

export interface SyncFaults {
  /** Every request is 503 with Retry-After for the next `forMs` ms of the clock; 0 ends it. */
  unavailable(forMs: number): void;
  /** A token bucket per user (429 with Retry-After); null turns it off. */
  rateLimit(limit: RateLimit | null): void;
  /** The matching requests are applied, then their replies are lost: the client sees a network error. */
  loseReplies(fault: CountedFault): void;
  /** The matching requests are lost before the server: nothing is applied, the client sees a network error. */
  dropRequests(fault: CountedFault): void;
  /** A server process restart: rate-limit buckets are lost; tasks, idempotency keys and cursors survive. */
  restart(): void;
  /** The lose/drop rules not yet used up. */
  pending(): { loseReplies: Array<{ match: string; remaining: number }>; dropRequests: Array<{ match: string; remaining: number }> };
  /** Ends every fault: available again, no rate limit, no pending lose/drop rules. */
  clear(): void;
}

export interface SyncBackend {
  /** Pass these to msw's setupServer/setupWorker; they stay valid across `reset()`. */
  handlers: HttpHandler[];
  faults: SyncFaults;
  /** Every task of a user, tombstones included, in creation order: the store, for assertions. */
  tasks(user: string): WireTask[];
  /** The user's change cursor (0 before any change). */
  cursor(user: string): number;
  /** Changes the quota; null turns it off. */
  setQuota(limit: number | null): void;
  addUser(user: SyncUser): void;
  /** The most recent requests (up to 1000), oldest first. */
  readonly requests: readonly ServedRequest[];
  /** Back to how syncHandlers made it: the options' users and quota, an empty store, no faults, no requests. */
  reset(): void;
}

/** Enough history for any test's assertions without growing without bound in a long suite. */
const MAX_REQUESTS_KEPT = 1000;

/**
 * The syncsim server model (SPEC §4) as msw 2 request handlers: the same SyncServer the
 * simulator and `syncsim serve` use, behind a fetch Request/Response adapter, plus faults.
 */
export function syncHandlers(options: SyncHandlersOptions): SyncBackend {
  const location = apiLocation(options.baseUrl);
  const clock = options.clock ?? (() => Date.now());
  const lostReplies = new CountedFaults();
  const droppedRequests = new CountedFaults();
  const requests: ServedRequest[] = [];
  let server = freshServer(options);

  const record = (entry: ServedRequest) => {
    requests.push(entry);
    if (requests.length > MAX_REQUESTS_KEPT) requests.splice(0, requests.length - MAX_REQUESTS_KEPT);
  };

  const handler = http.all(location.pattern, async ({ request }) => {
    const model = await modelRequest(request, location);
    const line: RequestLine = { method: model.method, path: pathOnly(model.path) };
    const at = clock();
    if (droppedRequests.take(line)) {
      record({ at, method: model.method, path: model.path, outcome: 'dropped', status: null });
      return FetchResponse.error();
    }
    const response = server.handle(model, at);
    const lost = lostReplies.take(line);
    record({ at, method: model.method, path: model.path, outcome: lost ? 'reply-lost' : 'answered', status: response.status });
    return lost ? FetchResponse.error() : fetchResponse(response);
  });

  const faults: SyncFaults = {
    unavailable(forMs) {
      if (!(Number.isFinite(forMs) && forMs >= 0)) throw new TypeError(`syncsim/msw: unavailable(forMs) needs a finite ms ≥ 0, got ${forMs}`);
      server.setUnavailable(clock() + forMs);
    },
    rateLimit: (limit) => server.setRateLimit(limit),
    loseReplies: (fault) => lostReplies.add(fault),
    dropRequests: (fault) => droppedRequests.add(fault),
    restart: () => server.restart(),
    pending: () => ({ loseReplies: lostReplies.pending(), dropRequests: droppedRequests.pending() }),
    clear() {
      server.setUnavailable(Number.NEGATIVE_INFINITY);
      server.setRateLimit(null);
      lostReplies.clear();
      droppedRequests.clear();
    },
  };

  return {
    handlers: [handler],
    faults,
    tasks: (user) => server.tasks(user),
    cursor: (user) => server.cursor(user),
    setQuota: (limit) => server.setQuota(limit),
    addUser: ({ name, token }) => server.addUser(name, token),
    requests,
    reset() {
      server = freshServer(options);
      lostReplies.clear();
      droppedRequests.clear();
      requests.length = 0;
    },
  };
}

function freshServer(options: SyncHandlersOptions): SyncServer {
  const server = new SyncServer({ users: options.users, ...(options.onApply && { onApply: options.onApply }) });
  server.setQuota(options.quota ?? null);
  return server;
}

function pathOnly(path: string): string {
  const mark = path.indexOf('?');
  return mark < 0 ? path : path.slice(0, mark);
}
