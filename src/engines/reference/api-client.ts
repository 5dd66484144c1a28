import type { EnginePorts, FetchResponse } from '../ports.ts';
import type { DeltaPage, RemoteTask } from './model.ts';

/** A request may take this long before it is abandoned (a lost message never answers). */
export const REQUEST_TIMEOUT_MS = 10_000;
/** Delta page size: large pages keep an initial sync of thousands of tasks to a few requests. */
export const PAGE_LIMIT = 1000;

export type BatchOperation =
  | { type: 'create'; clientId: string; title: string; completed: boolean; stamp: string; device: string; write: string | null; idempotencyKey: string }
  | { type: 'update'; id: string; title: string; completed: boolean; version?: number; stamp: string; device: string; write: string | null; idempotencyKey: string }
  | { type: 'delete'; id: string; stamp: string; device: string; write: string | null; idempotencyKey: string };

/** The server's answer to one batch operation. */
export interface OperationResult {
  success: boolean;
  status: number;
  /** The task after the operation (on success). */
  data: RemoteTask | null;
  /** The error code (on failure), e.g. VERSION_CONFLICT, QUOTA_EXCEEDED. */
  code: string | null;
  /** The server's task when the operation conflicted with it. */
  serverData: RemoteTask | null;
}

export interface BatchReply {
  results: OperationResult[];
  delta: DeltaPage;
}

/** Why a whole request failed; `retryAfterMs` when the server said when to come back. */
export class RequestFailure extends Error {
  override name = 'RequestFailure';
  constructor(
    readonly reason: 'network' | 'timeout' | 'http' | 'malformed',
    readonly status: number | null = null,
    readonly retryAfterMs: number | null = null,
    /** The error code the reply named, when it is one the engine acts on (CURSOR_AHEAD). */
    readonly code: string | null = null,
  ) {
    super(status === null ? reason : `${reason} ${status}`);
  }
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

function field<T>(object: Json, name: string, check: (value: unknown) => value is T): T {
  const value = object[name];
  if (!check(value)) throw new RequestFailure('malformed');
  return value;
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isNumber = (v: unknown): v is number => typeof v === 'number';
const isBoolean = (v: unknown): v is boolean => typeof v === 'boolean';

function remoteTask(value: unknown): RemoteTask {
  if (!isObject(value)) throw new RequestFailure('malformed');
  const write = value['write'];
  return {
    id: field(value, 'id', isString),
    clientId: field(value, 'clientId', isString),
    title: field(value, 'title', isString),
    completed: field(value, 'completed', isBoolean),
    version: field(value, 'version', isNumber),
    stamp: field(value, 'stamp', isString),
    device: isString(value['device']) ? value['device'] : '',
    deleted: field(value, 'deleted', isBoolean),
    write: isString(write) ? write : null,
  };
}

function deltaPage(value: unknown): DeltaPage {
  if (!isObject(value)) throw new RequestFailure('malformed');
  const tasks = field(value, 'tasks', Array.isArray).map(remoteTask);
  const deleted = field(value, 'deletedTaskIds', Array.isArray).filter(isString);
  const page: DeltaPage = { tasks, deletedTaskIds: deleted, nextCursor: field(value, 'nextCursor', isNumber), hasMore: field(value, 'hasMore', isBoolean) };
  if (Array.isArray(value['deletedTasks'])) page.deletedTasks = value['deletedTasks'].map(remoteTask);
  return page;
}

function operationResult(value: unknown): OperationResult {
  if (!isObject(value)) throw new RequestFailure('malformed');
  const error = isObject(value['error']) ? value['error'] : null;
  const serverData = error?.['serverData'];
  return {
    success: field(value, 'success', isBoolean),
    status: field(value, 'status', isNumber),
    data: value['data'] === undefined ? null : remoteTask(value['data']),
    code: error !== null && isString(error['code']) ? error['code'] : null,
    serverData: serverData === undefined ? null : remoteTask(serverData),
  };
}

/**
 * The sync API over the fetch port: requests with the bearer token, a timeout on every
 * request, and replies checked into typed values. A failed request is a RequestFailure.
 */
export class ApiClient {
  constructor(private readonly ports: EnginePorts) {}

  /**
   * Whether the server changed anything after `since`: the design's lightweight check
   * (HEAD, headers only), so an idle poll costs one small round trip and no pull.
   */
  async hasUpdates(since: number): Promise<boolean> {
    const response = await this.exchange('HEAD', `/v1/sync/status?since=${since}`);
    const value = response.headers.get('x-has-updates');
    if (value !== 'true' && value !== 'false') throw new RequestFailure('malformed', response.status);
    return value === 'true';
  }

  async pull(since: number): Promise<DeltaPage> {
    const body = await this.send('GET', `/v1/tasks?since=${since}&limit=${PAGE_LIMIT}`);
    if (!isObject(body)) throw new RequestFailure('malformed');
    return deltaPage(body['data']);
  }

  async batch(operations: BatchOperation[], cursor: number): Promise<BatchReply> {
    const body = await this.send('POST', '/v1/sync/batch', JSON.stringify({ operations, cursor, limit: PAGE_LIMIT }));
    if (!isObject(body)) throw new RequestFailure('malformed');
    const results = field(body, 'results', Array.isArray).map(operationResult);
    if (results.length !== operations.length) throw new RequestFailure('malformed');
    return { results, delta: deltaPage(body['delta']) };
  }

  /** A request whose reply is JSON. */
  private async send(method: string, path: string, body: string | null = null): Promise<unknown> {
    const response = await this.exchange(method, path, body);
    try {
      return await response.json();
    } catch {
      throw new RequestFailure('malformed', response.status);
    }
  }

  /** One request with the token and a timeout; resolves to a 2xx response. */
  private async exchange(method: string, path: string, body: string | null = null): Promise<FetchResponse> {
    const controller = new AbortController();
    const timer = this.ports.timers.setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
    const sentAt = this.ports.clock.now();
    let response: FetchResponse;
    try {
      const headers: Record<string, string> = { authorization: `Bearer ${this.ports.server.token}` };
      if (body !== null) headers['content-type'] = 'application/json';
      response = await this.ports.fetch(path, { method, headers, body, signal: controller.signal });
    } catch {
      throw new RequestFailure(controller.signal.aborted ? 'timeout' : 'network');
    } finally {
      this.ports.timers.clearTimeout(timer);
    }
    if (!response.ok) {
      // A HEAD reply has no body: the status endpoint's one 409 is a cursor ahead of the server's.
      const code = response.status !== 409 ? null : method === 'HEAD' ? 'CURSOR_AHEAD' : await errorCode(response);
      throw new RequestFailure('http', response.status, remainingWait(retryAfter(response), sentAt, this.ports.clock.now()), code);
    }
    return response;
  }
}

/** The `error.code` of an error reply, or null when the body says none. */
async function errorCode(response: FetchResponse): Promise<string | null> {
  try {
    const body: unknown = await response.json();
    const error = isObject(body) ? body['error'] : undefined;
    return isObject(error) && isString(error['code']) ? error['code'] : null;
  } catch {
    return null;
  }
}

/**
 * What is left of a Retry-After once the reply is handled. It counts from the reply; the
 * request's send time bounds that from below, so after a suspension (the app handled the
 * reply only on waking) the time asleep is not waited again. The wait never exceeds the
 * Retry-After itself, whatever the device's wall clock did meanwhile.
 */
export function remainingWait(retryAfterMs: number | null, sentAt: number, now: number): number | null {
  if (retryAfterMs === null) return null;
  // The device clock is a wall clock and may be set back: never wait longer than asked.
  return Math.min(retryAfterMs, Math.max(0, sentAt + retryAfterMs - now));
}

/** Retry-After in seconds (the only form the server sends), as ms; null when absent or unreadable. */
function retryAfter(response: FetchResponse): number | null {
  const value = response.headers.get('retry-after');
  if (value === null) return null;
  const seconds = Number(value);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : null;
}
