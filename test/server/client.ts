import { gunzipSync } from 'node:zlib';
import type { HttpRequest, HttpResponse } from '../../src/server/http.ts';
import { SyncServer, type ServerApplyEvent, type WireTask } from '../../src/server/server.ts';
import type { ServerLimits } from '../../src/server/limits.ts';
import { taskJson } from '../../src/server/wire.ts';

/** A stored task as a reply shows it (ISO-8601 times, `isCompleted`, no empty extensions). */
export const wire = (task: WireTask | undefined) => (task === undefined ? undefined : taskJson(task));

/** A decoded reply: the raw response plus its parsed JSON body (undefined when empty). */
export interface Decoded {
  status: number;
  headers: Record<string, string>;
  /** Tests read arbitrary reply shapes; `any` keeps them short (src/ has none). */
  json: any;
}

export function decode(response: HttpResponse): Decoded {
  let text: string | null = null;
  if (typeof response.body === 'string') text = response.body;
  else if (response.body !== null) {
    const bytes = Buffer.from(response.body);
    text = response.headers['content-encoding'] === 'gzip' ? gunzipSync(bytes).toString('utf8') : bytes.toString('utf8');
  }
  return { status: response.status, headers: response.headers, json: text === null ? undefined : JSON.parse(text) };
}

export interface CallOptions {
  token?: string | null;
  body?: unknown;
  raw?: string | Uint8Array | null;
  headers?: Record<string, string>;
  now?: number;
}

/** A small world for a test: a server with alice and bob, a clock, and the apply events. */
export function world(options: { quota?: number; limits?: Partial<ServerLimits> } = {}) {
  const events: ServerApplyEvent[] = [];
  const server = new SyncServer({
    users: [
      { name: 'alice', token: 'tok-a' },
      { name: 'bob', token: 'tok-b' },
    ],
    onApply: (event) => events.push(event),
    ...(options.limits && { limits: options.limits }),
  });
  if (options.quota !== undefined) server.setQuota(options.quota);
  let clock = 1_000;
  const call = (method: string, path: string, opts: CallOptions = {}): Decoded => {
    const headers: Record<string, string> = { ...opts.headers };
    const token = opts.token === undefined ? 'tok-a' : opts.token;
    if (token !== null) headers['authorization'] = `Bearer ${token}`;
    let body: HttpRequest['body'] = null;
    if (opts.raw !== undefined) body = opts.raw;
    else if (opts.body !== undefined) body = JSON.stringify(opts.body);
    return decode(server.handle({ method, path, headers, body }, opts.now ?? clock));
  };
  return {
    server,
    events,
    call,
    tick(ms = 1) {
      clock += ms;
      return clock;
    },
    get now() {
      return clock;
    },
    create(clientId: string, title: string, stamp = '0001', extra: Record<string, unknown> = {}, opts: CallOptions = {}) {
      return call('POST', '/v1/tasks', { ...opts, body: { clientId, title, stamp, ...extra } });
    },
  };
}
