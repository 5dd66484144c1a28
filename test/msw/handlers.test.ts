import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { syncHandlers } from '../../src/msw/index.ts';
import { taskJson } from '../../src/server/wire.ts';

const BASE = 'https://api.example.test';

/** The test's clock: msw runs in real time, the backend reads only this. */
let now = 1_000_000;
const backend = syncHandlers({
  baseUrl: BASE,
  users: [
    { name: 'alice', token: 'tok-a' },
    { name: 'bob', token: 'tok-b' },
  ],
  clock: () => now,
});
const mock = setupServer(...backend.handlers);

beforeAll(() => mock.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  backend.reset();
  now = 1_000_000;
});
afterAll(() => mock.close());

interface Call {
  token?: string | null;
  body?: unknown;
  headers?: Record<string, string>;
}

/** One request with the real global fetch, as the app under test would make it. */
function call(method: string, path: string, options: Call = {}): Promise<Response> {
  const headers: Record<string, string> = { ...options.headers };
  const token = options.token === undefined ? 'tok-a' : options.token;
  if (token !== null) headers['authorization'] = `Bearer ${token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const body = options.body === undefined ? null : JSON.stringify(options.body);
  return fetch(`${BASE}${path}`, { method, headers, body });
}

/** Tests read arbitrary reply shapes; `any` keeps them short (src/ has none). */
async function json(response: Promise<Response>): Promise<{ status: number; body: any; headers: Headers }> {
  const reply = await response;
  const text = await reply.text();
  return { status: reply.status, body: text === '' ? undefined : JSON.parse(text), headers: reply.headers };
}

const create = (clientId: string, title: string, extra: Call = {}) =>
  json(call('POST', '/v1/tasks', { ...extra, body: { clientId, title, stamp: '0001', device: 'phone' } }));

describe('syncHandlers: the server model behind msw', () => {
  it('asks for a token, and keeps users apart (404 for another user\'s task)', async () => {
    const anonymous = await json(call('GET', '/v1/tasks', { token: null }));
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe('UNAUTHORIZED');
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer');
    await create('c1', 'alice only');
    const theirs = await json(call('PUT', '/v1/tasks/t1', { token: 'tok-b', body: { title: 'mine now', stamp: '0002' } }));
    expect(theirs.status).toBe(404);
    expect(backend.tasks('alice')[0]?.title).toBe('alice only');
    expect(backend.tasks('bob')).toEqual([]);
  });

  it('creates once per clientId: a repeat returns the original task', async () => {
    const first = await create('c1', 'Buy milk');
    expect(first.status).toBe(201);
    expect(first.body.data).toMatchObject({ id: 't1', clientId: 'c1', title: 'Buy milk', version: 1 });
    const again = await create('c1', 'Buy milk');
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ data: first.body.data, meta: { idempotent: true } });
    expect(backend.tasks('alice')).toHaveLength(1);
  });

  it('answers a stale version with 409 VERSION_CONFLICT and the server data', async () => {
    await create('c1', 'a');
    expect((await json(call('PUT', '/v1/tasks/t1', { body: { title: 'b', version: 1, stamp: '0002' } }))).status).toBe(200);
    const stale = await json(call('PUT', '/v1/tasks/t1', { body: { title: 'c', version: 1, stamp: '0003' } }));
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({ code: 'VERSION_CONFLICT', currentVersion: 2, serverData: { title: 'b' } });
  });

  it('pulls deltas after a cursor, with tombstones', async () => {
    await create('c1', 'a');
    await create('c2', 'b');
    const full = await json(call('GET', '/v1/tasks?since=0'));
    expect(full.body.data).toMatchObject({ nextCursor: 2, hasMore: false });
    expect(full.body.data.tasks.map((t: { id: string }) => t.id)).toEqual(['t1', 't2']);
    await call('DELETE', '/v1/tasks/t1');
    const delta = await json(call('GET', '/v1/tasks?since=2&limit=10'));
    expect(delta.body.data).toMatchObject({ tasks: [], deletedTaskIds: ['t1'], nextCursor: 3, hasMore: false });
    expect(backend.cursor('alice')).toBe(3);
    expect(backend.tasks('alice')[0]).toMatchObject({ id: 't1', deleted: true });
  });

  it('runs a batch with a result per operation and the delta', async () => {
    const batch = await json(
      call('POST', '/v1/sync/batch', {
        body: {
          cursor: 0,
          operations: [
            { type: 'create', clientId: 'c1', title: 'one', stamp: '0001' },
            { type: 'update', id: 't1', completed: true, version: 1, stamp: '0002' },
            { type: 'delete', id: 't99' },
          ],
        },
      }),
    );
    expect(batch.status).toBe(200);
    expect(batch.body.results.map((r: { status: number }) => r.status)).toEqual([201, 200, 404]);
    expect(batch.body.delta).toMatchObject({ tasks: [{ id: 't1', completed: true, version: 2 }], nextCursor: 2 });
  });

  it('answers HEAD /v1/sync/status with headers only', async () => {
    await create('c1', 'a');
    const head = await call('HEAD', '/v1/sync/status?since=0');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    expect(head.headers.get('x-has-updates')).toBe('true');
    expect(head.headers.get('x-cursor')).toBe('1');
    expect((await call('HEAD', '/v1/sync/status?since=1')).headers.get('x-has-updates')).toBe('false');
  });

  it('answers a create past the quota with 403 QUOTA_EXCEEDED', async () => {
    backend.setQuota(1);
    await create('c1', 'a');
    const over = await create('c2', 'b');
    expect(over.status).toBe(403);
    expect(over.body.error).toMatchObject({ code: 'QUOTA_EXCEEDED', currentUsage: 1, limit: 1 });
    expect(backend.tasks('alice')).toHaveLength(1);
  });

  it('reads a gzip request body and answers gzip when asked (fetch decodes it)', async () => {
    const body = gzipSync(JSON.stringify({ clientId: 'cz', title: 'zipped', stamp: '0001' }));
    const reply = await fetch(`${BASE}/v1/tasks`, {
      method: 'POST',
      headers: { authorization: 'Bearer tok-a', 'content-type': 'application/json', 'content-encoding': 'gzip', 'accept-encoding': 'gzip' },
      body,
    });
    expect(reply.status).toBe(201);
    expect(reply.headers.get('content-encoding')).toBe('gzip');
    expect((await reply.json()).data).toMatchObject({ clientId: 'cz', title: 'zipped' });
  });

  it('serves under a base URL with a path prefix, and leaves other paths to other handlers', async () => {
    const prefixed = syncHandlers({ baseUrl: 'https://other.example.test/api/', users: [{ name: 'carol', token: 'tok-c' }], clock: () => now });
    // Listed after ours, the team's handler still answers its own path on the same host.
    mock.use(...prefixed.handlers, http.get('https://other.example.test/api/login', () => HttpResponse.text('the team\'s own handler')));
    const reply = await fetch('https://other.example.test/api/v1/tasks', {
      method: 'POST',
      headers: { authorization: 'Bearer tok-c' },
      body: JSON.stringify({ clientId: 'c1', title: 'prefixed', stamp: '0001' }),
    });
    expect(reply.status).toBe(201);
    expect(prefixed.tasks('carol')).toHaveLength(1);
    expect(prefixed.requests).toEqual([{ at: now, method: 'POST', path: '/v1/tasks', outcome: 'answered', status: 201 }]);
    expect(await (await fetch('https://other.example.test/api/login')).text()).toBe('the team\'s own handler');
    mock.resetHandlers();
  });

  it('reset empties the store and ends the faults; the handlers keep working', async () => {
    await create('c1', 'a');
    backend.faults.unavailable(60_000);
    backend.faults.dropRequests({ match: '/v1/*', count: Infinity });
    backend.reset();
    expect(backend.tasks('alice')).toEqual([]);
    expect(backend.requests).toEqual([]);
    expect(backend.faults.pending()).toEqual({ loseReplies: [], dropRequests: [] });
    const fresh = await create('c1', 'again');
    expect(fresh.status).toBe(201);
    expect(fresh.body.data.id).toBe('t1');
  });
});

describe('syncHandlers: faults', () => {
  it('is unavailable (503 with Retry-After) for the given time of the clock, then recovers', async () => {
    backend.faults.unavailable(30_000);
    const down = await json(call('GET', '/v1/tasks'));
    expect(down.status).toBe(503);
    expect(down.headers.get('retry-after')).toBe('30');
    expect(down.body.error).toMatchObject({ code: 'SERVICE_UNAVAILABLE', retryable: true });
    now += 29_000;
    expect((await call('GET', '/v1/tasks')).headers.get('retry-after')).toBe('1');
    now += 1_000;
    expect((await call('GET', '/v1/tasks')).status).toBe(200);
  });

  it('rate-limits per user with 429 and Retry-After, refilling with the clock', async () => {
    backend.faults.rateLimit({ capacity: 2, refillPerSecond: 1 });
    expect((await call('GET', '/v1/tasks')).status).toBe(200);
    expect((await call('GET', '/v1/tasks')).status).toBe(200);
    const limited = await json(call('GET', '/v1/tasks'));
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(limited.body.error.code).toBe('RATE_LIMITED');
    expect((await call('GET', '/v1/tasks', { token: 'tok-b' })).status).toBe(200);
    now += 1_000;
    expect((await call('GET', '/v1/tasks')).status).toBe(200);
    backend.faults.rateLimit(null);
    for (let i = 0; i < 5; i++) expect((await call('GET', '/v1/tasks')).status).toBe(200);
  });

  it('loses a reply after applying the write; a retry with the same Idempotency-Key returns the original', async () => {
    backend.faults.loseReplies({ match: 'POST /v1/tasks', count: 1 });
    const keyed = { headers: { 'idempotency-key': 'k1' } };
    await expect(create('c1', 'Buy milk', keyed)).rejects.toThrow(TypeError);
    expect(backend.tasks('alice')).toHaveLength(1);
    expect(backend.requests.at(-1)).toMatchObject({ method: 'POST', path: '/v1/tasks', outcome: 'reply-lost', status: 201 });
    expect(backend.faults.pending().loseReplies).toEqual([]);
    const retry = await create('c1', 'Buy milk', keyed);
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual({ data: taskJson(backend.tasks('alice')[0]!), meta: { idempotent: true } });
    expect(backend.tasks('alice')).toHaveLength(1);
  });

  it('drops a request before the server: nothing applied, the retry is the first the server sees', async () => {
    backend.faults.dropRequests({ match: 'POST /v1/sync/batch', count: 1 });
    const batch = { cursor: 0, operations: [{ type: 'create', clientId: 'c1', title: 'one', stamp: '0001' }] };
    await expect(call('POST', '/v1/sync/batch', { body: batch })).rejects.toThrow(TypeError);
    expect(backend.tasks('alice')).toEqual([]);
    expect(backend.cursor('alice')).toBe(0);
    expect(backend.requests.at(-1)).toMatchObject({ outcome: 'dropped', status: null });
    const retry = await json(call('POST', '/v1/sync/batch', { body: batch }));
    expect(retry.body.results[0]).toMatchObject({ status: 201, id: 't1' });
  });

  it('hits only matching requests, for the given count', async () => {
    backend.faults.dropRequests({ match: 'PUT /v1/tasks/*', count: 2 });
    await create('c1', 'a');
    expect(backend.faults.pending().dropRequests).toEqual([{ match: 'PUT /v1/tasks/*', remaining: 2 }]);
    const update = () => call('PUT', '/v1/tasks/t1', { body: { title: 'b', stamp: '0002' } });
    await expect(update()).rejects.toThrow();
    await expect(update()).rejects.toThrow();
    expect((await update()).status).toBe(200);
    expect(backend.requests.map((r) => r.outcome)).toEqual(['answered', 'dropped', 'dropped', 'answered']);
  });

  it('refuses a malformed match or count where the test wrote it', () => {
    expect(() => backend.faults.loseReplies({ match: 'POST v1/tasks' })).toThrow(/METHOD \/path/);
    expect(() => backend.faults.loseReplies({ match: '/v1/tasks', count: 0 })).toThrow(/count/);
    expect(() => backend.faults.unavailable(-1)).toThrow(/finite/);
    expect(() => syncHandlers({ baseUrl: '/relative', users: [] })).toThrow(/absolute/);
  });
});

describe('msw stays an optional peer', () => {
  it('is imported only from src/msw/', () => {
    const importers = sourceFiles('src').filter((file) => !file.startsWith(join('src', 'msw')) && /from ['"]msw(\/|['"])/.test(readFileSync(file, 'utf8')));
    expect(importers).toEqual([]);
  });
});

/** Every .ts file under a folder; the tree is ours and small, so the walk is bounded by it. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}
