/**
 * The §4 API as the adapter calls it: JSON over `ports.fetch` with the bearer token, a
 * timeout (a lost message never answers), and 429/503 honoured by waiting the Retry-After
 * before asking again. A failure that waiting does not cure is thrown; RxDB retries the
 * whole pull or push after its `retryTime`.
 */
import type { EnginePorts, FetchResponse } from 'syncsim';

/** A lost request or reply is given up after this: the design's 5 s sync objective leaves no room for a longer wait. */
export const REQUEST_TIMEOUT_MS = 4_000;
/** How many Retry-After waits one call makes before it gives up to RxDB's retry. */
const RETRY_AFTER_ATTEMPTS = 4;
/** A Retry-After beyond this is not waited inside a call (RxDB's retry takes over). */
const RETRY_AFTER_CAP_MS = 120_000;

/** A wire task (SPEC §4), the fields the adapter reads. */
export interface WireTask {
  id: string;
  clientId: string;
  title: string;
  completed: boolean;
  version: number;
  stamp: string;
  device: string;
  deleted: boolean;
  write: string | null;
}

export class RequestFailure extends Error {
  override name = 'RequestFailure';
  constructor(message: string, readonly status: number | null = null, readonly code: string | null = null) {
    super(message);
  }
}

export interface ApiReply {
  status: number;
  body: Record<string, unknown>;
  header(name: string): string | null;
}

export class ServerApi {
  constructor(private readonly ports: EnginePorts) {}

  /** One call, with the Retry-After waits; resolves with any status the caller handles itself (2xx, 409, 4xx). */
  async call(method: string, path: string, body?: unknown): Promise<ApiReply> {
    for (let attempt = 0; ; attempt++) {
      await this.online();
      const response = await this.send(method, path, body);
      if (response.status === 429 || response.status === 503) {
        const wait = retryAfterMs(response);
        if (attempt >= RETRY_AFTER_ATTEMPTS || wait > RETRY_AFTER_CAP_MS) throw new RequestFailure(`${method} ${path}: ${response.status}`, response.status);
        await this.sleep(wait);
        continue;
      }
      if (response.status >= 500) throw new RequestFailure(`${method} ${path}: ${response.status}`, response.status);
      const json = method === 'HEAD' ? {} : await readJson(response);
      return { status: response.status, body: json, header: (name) => response.headers.get(name) };
    }
  }

  private async send(method: string, path: string, body: unknown): Promise<FetchResponse> {
    const { timers } = this.ports;
    const controller = new AbortController();
    const timeout = timers.setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
    const headers: Record<string, string> = { authorization: `Bearer ${this.ports.server.token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    try {
      return await this.ports.fetch(path, {
        method, headers, signal: controller.signal, ...(body !== undefined && { body: JSON.stringify(body) }),
      });
    } catch (error) {
      throw new RequestFailure(`${method} ${path}: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      timers.clearTimeout(timeout);
    }
  }

  /** While the device is offline (airplane mode, no connection) a request cannot leave: wait for the interface. */
  private online(): Promise<void> {
    const { connectivity } = this.ports;
    if (connectivity.current().online) return Promise.resolve();
    return new Promise((resolve) => {
      const stop = connectivity.subscribe((state) => {
        if (!state.online) return;
        stop();
        resolve();
      });
    });
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.ports.timers.setTimeout(resolve, ms));
  }
}

function retryAfterMs(response: FetchResponse): number {
  const value = Number(response.headers.get('retry-after'));
  return Number.isFinite(value) && value >= 0 ? value * 1000 : 1000;
}

async function readJson(response: FetchResponse): Promise<Record<string, unknown>> {
  const text = await response.text();
  if (text === '') return {};
  const value: unknown = JSON.parse(text);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new RequestFailure('malformed reply', response.status);
  return value as Record<string, unknown>;
}

/** A wire task from a reply, or null when the value is not one. */
export function wireTask(value: unknown): WireTask | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  if (typeof v.id !== 'string' || typeof v.clientId !== 'string' || typeof v.title !== 'string' || typeof v.completed !== 'boolean') return null;
  if (typeof v.version !== 'number' || typeof v.deleted !== 'boolean') return null;
  return {
    id: v.id, clientId: v.clientId, title: v.title, completed: v.completed, version: v.version,
    stamp: typeof v.stamp === 'string' ? v.stamp : '', device: typeof v.device === 'string' ? v.device : '',
    deleted: v.deleted, write: typeof v.write === 'string' ? v.write : null,
  };
}
