/**
 * The §4 API over the device's `fetch` port: a delta page by cursor and the batch endpoint.
 * Any reply that is not 2xx, a lost or timed-out request, or a body that is not what the
 * API promises becomes an ApiFailure, which the sync loop turns into a retry.
 */
import type { ApiTask, EnginePorts } from 'syncsim';

/** A task as the server sends it (`device` and `write` are left out when empty). */
export type ServerTask = ApiTask;

export interface DeltaPage {
  tasks: ServerTask[];
  deletedTasks: ServerTask[];
  nextCursor: number;
  hasMore: boolean;
}

export type BatchOperation =
  | { type: 'create'; clientId: string; title: string; completed: boolean; stamp: string; device: string; write: string | null; idempotencyKey: string }
  | { type: 'update'; id: string; title: string; completed: boolean; version: number; stamp: string; device: string; write: string | null; idempotencyKey: string }
  | { type: 'delete'; id: string; version: number; stamp: string; device: string; write: string | null; idempotencyKey: string };

export interface BatchResult {
  success: boolean;
  status: number;
  id?: string;
  version?: number;
  data?: ServerTask;
  meta?: { idempotent?: boolean; applied?: boolean; reason?: string };
  error?: { code?: string; serverData?: ServerTask };
}

/** A request that did not get the reply it needed; `retryAfterMs` when the server said when to come back. */
export class ApiFailure extends Error {
  override name = 'ApiFailure';
  constructor(message: string, readonly status: number, readonly retryAfterMs: number | null) {
    super(message);
  }
}

const REQUEST_TIMEOUT_MS = 10_000;
export const PAGE_SIZE = 200;
export const BATCH_SIZE = 200;

export class TaskApi {
  constructor(private readonly ports: EnginePorts) {}

  async page(since: number): Promise<DeltaPage> {
    const body = (await this.request('GET', `/v1/tasks?since=${since}&limit=${PAGE_SIZE}`)) as { data?: DeltaPage };
    const page = body.data;
    if (!page || !Array.isArray(page.tasks) || !Array.isArray(page.deletedTasks) || typeof page.nextCursor !== 'number') {
      throw new ApiFailure('the delta page is not of the §4 shape', 200, null);
    }
    return page;
  }

  /**
   * The operations in order, a result each, in requests of at most BATCH_SIZE operations
   * (the server takes 500). The delta each reply carries is not used: the pull reads it.
   */
  async batch(operations: BatchOperation[], cursor: number): Promise<BatchResult[]> {
    const results: BatchResult[] = [];
    for (let from = 0; from < operations.length; from += BATCH_SIZE) {
      const chunk = operations.slice(from, from + BATCH_SIZE);
      const body = (await this.request('POST', '/v1/sync/batch', { operations: chunk, cursor, limit: 1 })) as { results?: BatchResult[] };
      if (!Array.isArray(body.results) || body.results.length !== chunk.length) {
        throw new ApiFailure('the batch reply has no result per operation', 200, null);
      }
      results.push(...body.results);
    }
    return results;
  }

  private async request(method: string, path: string, payload?: unknown): Promise<unknown> {
    const { ports } = this;
    const controller = new AbortController();
    const timeout = ports.timers.setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
    const headers: Record<string, string> = { authorization: `Bearer ${ports.server.token}` };
    if (payload !== undefined) headers['content-type'] = 'application/json';
    try {
      const response = await ports.fetch(path, {
        method,
        headers,
        body: payload === undefined ? null : JSON.stringify(payload),
        signal: controller.signal,
      });
      if (!response.ok) {
        throw new ApiFailure(`${method} ${path}: ${response.status}`, response.status, retryAfterMs(response.headers.get('retry-after')));
      }
      return await response.json();
    } catch (error) {
      if (error instanceof ApiFailure) throw error;
      throw new ApiFailure(`${method} ${path}: ${(error as Error).message ?? String(error)}`, 0, null);
    } finally {
      ports.timers.clearTimeout(timeout);
    }
  }
}

function retryAfterMs(header: string | null): number | null {
  if (header === null) return null;
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : null;
}
