import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, gunzip, gzip } from './support/client.ts';
import { startBackend, TOKENS, type Backend } from './support/backend.ts';

/** The rules of SPEC §4 over real HTTP, each the way a client would meet it. */
describe('server-pglite: the API rules', () => {
  let backend: Backend;
  let url = '';
  let n = 0;
  const fresh = (prefix: string) => `${prefix}-${++n}`;
  const create = (clientId: string, extra: Record<string, unknown> = {}, token = TOKENS.demo) =>
    call(url, 'POST', '/v1/tasks', { token, body: { clientId, title: `task ${clientId}`, stamp: '0001', device: 'phone', ...extra } });

  beforeAll(async () => {
    backend = await startBackend();
    url = backend.url;
  });
  afterAll(async () => {
    await backend?.stop();
  });

  it('answers 401 without a valid token, with the error shape', async () => {
    for (const token of [null, 'nobody']) {
      const reply = await call(url, 'GET', '/v1/tasks', { token });
      expect(reply.status).toBe(401);
      expect(reply.body.error).toMatchObject({ code: 'UNAUTHORIZED', retryable: false });
      expect(typeof reply.body.error.message).toBe('string');
    }
  });

  it("never shows or changes another user's task: 404 by id, and a clientId is per user", async () => {
    const mine = (await create(fresh('iso'))).body.data;
    for (const [method, body] of [['GET', undefined], ['PUT', { title: 'x', stamp: '9999', version: 1 }], ['DELETE', undefined]] as const) {
      const reply = await call(url, method, `/v1/tasks/${mine.id}`, { token: TOKENS.other, body });
      expect(reply.status, method).toBe(404);
    }
    const theirs = await create(mine.clientId, {}, TOKENS.other);
    expect(theirs.status).toBe(201);
    expect(theirs.body.data.id).not.toBe(mine.id);
    const batch = await call(url, 'POST', '/v1/sync/batch', { token: TOKENS.other, body: { operations: [{ type: 'update', id: mine.id, title: 'stolen', stamp: '9999' }, { type: 'delete', id: mine.id }] } });
    expect(batch.body.results.map((r: { status: number }) => r.status)).toEqual([404, 404]);
    const pulled = await call(url, 'GET', '/v1/tasks?since=0&limit=1000', { token: TOKENS.other });
    expect(pulled.body.data.tasks.map((t: { id: string }) => t.id)).not.toContain(mine.id);
    expect((await call(url, 'GET', `/v1/tasks/${mine.id}`)).body.data).toMatchObject({ title: mine.title, deleted: false, version: 1 });
  });

  it('a create repeated by clientId or by Idempotency-Key returns the first task; a key reused with another body is 422', async () => {
    const clientId = fresh('idem');
    const first = await create(clientId);
    const again = await create(clientId);
    expect([first.status, again.status]).toEqual([201, 200]);
    expect(again.body.data.id).toBe(first.body.data.id);
    expect(again.body.meta.idempotent).toBe(true);
    const key = fresh('key');
    const body = { clientId: fresh('idem'), title: 'keyed', stamp: '0001' };
    const keyed = await call(url, 'POST', '/v1/tasks', { body, headers: { 'idempotency-key': key } });
    const replay = await call(url, 'POST', '/v1/tasks', { body, headers: { 'idempotency-key': key } });
    expect(replay.status).toBe(200);
    expect(replay.body).toMatchObject({ data: { id: keyed.body.data.id }, meta: { idempotent: true } });
    const reused = await call(url, 'POST', '/v1/tasks', { body: { ...body, title: 'another' }, headers: { 'idempotency-key': key } });
    expect(reused.status).toBe(422);
    expect(reused.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('a stale version is 409 VERSION_CONFLICT with serverData; LWW by (stamp, device); a delete is final and pulled as a tombstone', async () => {
    const task = (await create(fresh('lww'))).body.data;
    const since = (await call(url, 'GET', '/v1/sync/status')).body.cursor;
    const ok = await call(url, 'PUT', `/v1/tasks/${task.id}`, { body: { title: 'v2', version: 1, stamp: '0005', device: 'ipad' } });
    expect(ok.body).toMatchObject({ data: { version: 2, title: 'v2' }, meta: { applied: true } });
    const stale = await call(url, 'PUT', `/v1/tasks/${task.id}`, { body: { title: 'late', version: 1, stamp: '0009' } });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({ code: 'VERSION_CONFLICT', currentVersion: 2, serverData: { id: task.id, version: 2, title: 'v2' } });
    const older = await call(url, 'PUT', `/v1/tasks/${task.id}`, { body: { title: 'older', stamp: '0005', device: 'aaa' } });
    expect(older.body).toMatchObject({ data: { title: 'v2' }, meta: { applied: false, reason: 'STALE_STAMP' } });
    const tie = await call(url, 'PUT', `/v1/tasks/${task.id}`, { body: { title: 'tie won', stamp: '0005', device: 'zzz' } });
    expect(tie.body).toMatchObject({ data: { title: 'tie won', version: 3 }, meta: { applied: true } });
    expect((await call(url, 'DELETE', `/v1/tasks/${task.id}`, { body: { stamp: '0001' } })).body.data).toMatchObject({ deleted: true, stamp: '0005' });
    const after = await call(url, 'PUT', `/v1/tasks/${task.id}`, { body: { title: 'revive', stamp: '9999' } });
    expect(after.status).toBe(409);
    expect(after.body.error.code).toBe('TASK_DELETED');
    expect((await create(task.clientId)).body.data).toMatchObject({ id: task.id, deleted: true });
    const delta = (await call(url, 'GET', `/v1/tasks?since=${since}`)).body.data;
    expect(delta.deletedTaskIds).toEqual([task.id]);
    expect(delta.tasks.map((t: { id: string }) => t.id)).not.toContain(task.id);
  });

  it('pages never skip or repeat a change while writes happen concurrently', async () => {
    const start = (await call(url, 'GET', '/v1/sync/status')).body.cursor;
    const seeded = await Promise.all(Array.from({ length: 12 }, () => create(fresh('page'))));
    const ids = seeded.map((r) => r.body.data.id as string);
    // Writers: creates and updates racing the reader, 40 requests in all.
    const writers = Promise.all(Array.from({ length: 40 }, (_, i) =>
      i % 2 === 0 ? create(fresh('page')) : call(url, 'PUT', `/v1/tasks/${ids[i % ids.length]}`, { body: { title: `w${i}`, stamp: String(1000 + i), device: 'w' } })));
    const seen = new Map<string, number>();
    const changes = new Set<string>();
    let cursor = start;
    let pages = 0;
    for (; pages < 500; pages++) {
      const page = (await call(url, 'GET', `/v1/tasks?since=${cursor}&limit=3`)).body.data;
      for (const task of [...page.tasks, ...page.deletedTasks]) {
        const change = `${task.id}@${task.version}`;
        expect(changes.has(change), `change ${change} repeated`).toBe(false);
        changes.add(change);
        expect(task.version).toBeGreaterThan(seen.get(task.id) ?? 0);
        seen.set(task.id, task.version);
      }
      expect(page.nextCursor).toBeGreaterThanOrEqual(cursor);
      cursor = page.nextCursor;
      if (!page.hasMore) {
        if ((await writers.then(() => true, () => true)) && (await call(url, 'GET', `/v1/sync/status?since=${cursor}`)).body.hasUpdates === false) break;
      }
    }
    expect(pages).toBeLessThan(500);
    const everything = (await call(url, 'GET', `/v1/tasks?since=${start}&limit=1000`)).body.data.tasks as Array<{ id: string; version: number }>;
    expect(new Map(everything.map((t) => [t.id, t.version]))).toEqual(seen);
  });

  it('a batch answers a result per operation, in order; a failing one does not undo the others; the delta and cursor include them', async () => {
    const since = (await call(url, 'GET', '/v1/sync/status')).body.cursor;
    const target = (await create(fresh('batch'))).body.data;
    const reply = await call(url, 'POST', '/v1/sync/batch', {
      body: {
        cursor: since,
        operations: [
          { type: 'create', clientId: fresh('batch'), title: 'one', stamp: '0001', idempotencyKey: fresh('bk') },
          { type: 'update', id: target.id, version: 7, title: 'conflict', stamp: '0002' },
          { type: 'update', id: target.id, version: 1, title: 'two', stamp: '0002' },
          { type: 'nonsense' },
          { type: 'delete', id: 'no-such-task' },
        ],
      },
    });
    expect(reply.status).toBe(200);
    expect(reply.body.results.map((r: { status: number; success: boolean }) => [r.status, r.success])).toEqual([[201, true], [409, false], [200, true], [400, false], [404, false]]);
    expect(reply.body.results[1].error.serverData.id).toBe(target.id);
    expect(reply.body.cursor).toBe(since + 3);
    expect(new Set(reply.body.delta.tasks.map((t: { title: string }) => t.title))).toEqual(new Set(['one', 'two']));
    expect(reply.body).not.toHaveProperty('deltaUpdates');
  });

  it('a malformed batch envelope is a 400 before any operation runs', async () => {
    const before = (await call(url, 'GET', '/v1/sync/status')).body.cursor;
    for (const body of [[], { operations: 'x' }, { operations: [], cursor: -1 }, { operations: Array.from({ length: 501 }, () => ({ type: 'delete', id: 'x' })) }]) {
      const reply = await call(url, 'POST', '/v1/sync/batch', { body });
      expect(reply.status).toBe(400);
      expect(reply.body.error.code).toBe('BAD_REQUEST');
    }
    expect((await call(url, 'GET', '/v1/sync/status')).body.cursor).toBe(before);
  });

  it('GET and HEAD /v1/sync/status: the cursor, X-Has-Updates for the caller since, X-Last-Sync as ISO-8601', async () => {
    await create(fresh('status'));
    const status = (await call(url, 'GET', '/v1/sync/status')).body;
    expect(status).toMatchObject({ hasUpdates: true, serverVersion: '1' });
    const head = await call(url, 'HEAD', `/v1/sync/status?since=${status.cursor}`);
    expect(head.status).toBe(200);
    expect(head.body).toBeUndefined();
    expect(head.headers.get('x-has-updates')).toBe('false');
    expect(head.headers.get('x-last-sync')).toBe(status.lastSyncTimestamp);
    expect(head.headers.get('x-pending-count')).toBe('0');
    expect(Number.isNaN(Date.parse(head.headers.get('x-last-sync') ?? ''))).toBe(false);
    expect((await call(url, 'HEAD', `/v1/sync/status?since=${status.cursor - 1}`)).headers.get('x-has-updates')).toBe('true');
  });

  it('a cursor ahead of the server is 409 CURSOR_AHEAD; bad query parameters are 400', async () => {
    const { cursor } = (await call(url, 'GET', '/v1/sync/status')).body;
    expect((await call(url, 'GET', `/v1/tasks?since=${cursor + 1}`)).body.error.code).toBe('CURSOR_AHEAD');
    for (const query of ['since=-1', 'since=abc', 'limit=0', 'limit=1001', 'limit=x']) {
      expect((await call(url, 'GET', `/v1/tasks?${query}`)).status, query).toBe(400);
    }
  });

  it('gzip both ways: a gzip request body, a gzip reply when accepted', async () => {
    const clientId = fresh('gzip');
    const reply = await rawRequest(url, '/v1/tasks', gzip({ clientId, title: 'zipped', stamp: '0001' }), { 'content-encoding': 'gzip', 'accept-encoding': 'gzip' });
    expect(reply.status).toBe(201);
    expect(reply.headers['content-encoding']).toBe('gzip');
    expect(gunzip(reply.body)).toMatchObject({ data: { clientId, title: 'zipped' } });
    expect((await rawRequest(url, '/v1/tasks', Buffer.from('not gzip'), { 'content-encoding': 'gzip' })).status).toBe(400);
    expect((await rawRequest(url, '/v1/tasks', Buffer.from('{}'), { 'content-encoding': 'br' })).status).toBe(415);
  });

  it('limits and errors: 413 over 1 MiB (also once unzipped), 400 for bad JSON or types, a title over 10,000 characters, 404 and 405', async () => {
    const big = await call(url, 'POST', '/v1/tasks', { raw: 'x'.repeat(1024 * 1024 + 1) });
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    const bomb = await rawRequest(url, '/v1/tasks', gzip({ clientId: 'bomb', title: 'x'.repeat(2 * 1024 * 1024), stamp: '1' }), { 'content-encoding': 'gzip' });
    expect(bomb.status).toBe(413);
    for (const raw of ['{', '[]', JSON.stringify({ clientId: 5, title: 'x', stamp: '1' }), JSON.stringify({ clientId: 'c', title: 'x', stamp: '1', completed: 'yes' })]) {
      const reply = await call(url, 'POST', '/v1/tasks', { raw, headers: { 'content-type': 'application/json' } });
      expect(reply.status, raw).toBe(400);
      expect(reply.body.error).toMatchObject({ code: 'BAD_REQUEST', retryable: false });
    }
    const long = await create(fresh('long'), { title: 'x'.repeat(10_001) });
    expect(long.status).toBe(400);
    expect(long.body.error).toMatchObject({ code: 'TITLE_TOO_LONG', limit: 10_000 });
    expect((await create(fresh('long'), { title: 'x'.repeat(10_000) })).status).toBe(201);
    expect((await call(url, 'GET', '/v2/nothing')).status).toBe(404);
    const wrong = await call(url, 'PUT', '/v1/tasks');
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET, POST');
    expect((await call(url, 'PATCH', '/v2/nothing')).status).toBe(405);
    expect((await create(fresh('both'), { completed: true, isCompleted: false })).status).toBe(400);
  });

  it("accepts the design document's literal bodies (isCompleted, clientTimestamp, batch data, lastSyncTimestamp)", async () => {
    const created = await call(url, 'POST', '/v1/tasks', { body: { title: 'Buy groceries', isCompleted: false, clientId: 'uuid-client-generated', clientTimestamp: '2026-01-13T15:30:00Z' } });
    expect(created.status).toBe(201);
    const task = created.body.data;
    expect(task).toMatchObject({ title: 'Buy groceries', isCompleted: false, completed: false, version: 1 });
    expect(task).not.toHaveProperty('device');
    expect(task).not.toHaveProperty('write');
    expect(Number.isNaN(Date.parse(task.createdAt))).toBe(false);
    // Timestamps are compared as instants: .500Z is later than :00Z.
    const later = await call(url, 'PUT', `/v1/tasks/${task.id}`, { body: { title: 'Buy groceries and cook dinner', isCompleted: false, version: 1, clientTimestamp: '2026-01-13T16:10:00.500Z' } });
    expect(later.body.meta.applied).toBe(true);
    const earlier = await call(url, 'PUT', `/v1/tasks/${task.id}`, { body: { title: 'older', version: 2, clientTimestamp: '2026-01-13T16:10:00Z' } });
    expect(earlier.body.meta).toMatchObject({ applied: false });
    const batch = await call(url, 'POST', '/v1/sync/batch', {
      body: {
        operations: [
          { type: 'create', clientId: 'uuid1', data: { title: 'From batch', isCompleted: true } },
          { type: 'update', id: task.id, version: 1, data: { title: 'stale' } },
          { type: 'delete', id: task.id },
        ],
        lastSyncTimestamp: '2026-01-13T10:00:00Z',
      },
    });
    expect(batch.body.results).toMatchObject([{ clientId: 'uuid1', success: true }, { id: task.id, success: false, error: { code: 'VERSION_CONFLICT' } }, { id: task.id, success: true }]);
    expect(batch.body.results[0].serverId).toMatch(/^t\d+$/);
    expect(batch.body.deltaUpdates.deletedTaskIds).toContain(task.id);
    expect(batch.body.deltaUpdates.tasks.map((t: { clientId: string }) => t.clientId)).toContain('uuid1');
    expect(Number.isNaN(Date.parse(batch.body.serverTimestamp))).toBe(false);
    expect(batch.body).not.toHaveProperty('delta');
    const since = await call(url, 'GET', `/v1/tasks?since=${encodeURIComponent(new Date(Date.now() - 60_000).toISOString())}`);
    expect(since.body.data.syncMetadata.serverTimestamp).toMatch(/Z$/);
    expect(since.body.data.deletedTaskIds).toContain(task.id);
  });
});

describe('server-pglite: durability and limits by flag', () => {
  it('an acknowledged write survives kill -9 and a restart on the same --data', async () => {
    const backend = await startBackend();
    try {
      const made = await call(backend.url, 'POST', '/v1/tasks', { body: { clientId: 'durable', title: 'kept', stamp: '1' } });
      expect(made.status).toBe(201);
      const again = await backend.restart();
      expect((await call(again, 'GET', `/v1/tasks/${made.body.data.id}`)).body.data).toMatchObject({ title: 'kept' });
      expect((await call(again, 'POST', '/v1/tasks', { body: { clientId: 'durable', title: 'kept', stamp: '1' } })).body.meta.idempotent).toBe(true);
    } finally {
      await backend.stop();
    }
  });

  it('--max-tasks answers a create past it with 403 QUOTA_EXCEEDED, currentUsage and limit', async () => {
    const backend = await startBackend(['--max-tasks', '2']);
    try {
      for (const id of ['q1', 'q2']) expect((await call(backend.url, 'POST', '/v1/tasks', { body: { clientId: id, title: id, stamp: '1' } })).status).toBe(201);
      const over = await call(backend.url, 'POST', '/v1/tasks', { body: { clientId: 'q3', title: 'q3', stamp: '1' } });
      expect(over.status).toBe(403);
      expect(over.body.error).toMatchObject({ code: 'QUOTA_EXCEEDED', currentUsage: 2, limit: 2 });
    } finally {
      await backend.stop();
    }
  });
});

function rawRequest(base: string, path: string, body: Uint8Array, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  const target = new URL(path, base);
  return new Promise((resolve, reject) => {
    const req = request({ host: target.hostname, port: target.port, path: target.pathname, method: 'POST', headers: { authorization: `Bearer ${TOKENS.demo}`, ...headers }, timeout: 30_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(body);
  });
}
