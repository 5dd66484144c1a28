import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServe, type ServeChild } from './serve-child.ts';

/**
 * `syncsim serve` driven over real HTTP with the design document's literal JSON bodies
 * (seed, Part 4), as an app built from the design would send them.
 */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

let serve: ServeChild;
/** Every reply body's raw text, to check no empty placeholder ever reaches the wire. */
const seen: string[] = [];

beforeAll(async () => {
  serve = await startServe(['--user', 'alice:tok-a', '--user', 'bob:tok-b', '--max-tasks', '6', '--header-timeout', '400', '--request-timeout', '800']);
}, 20_000);

afterAll(async () => {
  await serve?.stop();
});

async function send(method: string, path: string, body?: unknown, headers: Record<string, string> = {}, token = 'tok-a') {
  const response = await fetch(`${serve.base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  seen.push(text);
  return { status: response.status, headers: response.headers, json: text === '' ? undefined : JSON.parse(text) };
}

/** Sends raw bytes on a fresh socket and collects what comes back until the server closes it. */
function rawExchange(bytes: string, waitMs = 5_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(serve.port, '127.0.0.1');
    let reply = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no close within ${waitMs} ms; got: ${reply}`));
    }, waitMs);
    socket.on('data', (chunk) => (reply += chunk.toString()));
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(reply);
    });
    socket.on('error', () => undefined);
    socket.write(bytes);
  });
}

describe("the design's requests against syncsim serve", () => {
  it('creates, updates with version and 409, deletes, pulls by timestamp and by cursor, batches, and reports status', async () => {
    const created = await send('POST', '/v1/tasks', {
      title: 'Buy groceries',
      isCompleted: true,
      clientId: 'uuid-client-generated',
      clientTimestamp: '2026-01-13T15:30:00Z',
    });
    expect(created.status).toBe(201);
    const task = created.json.data;
    expect(task).toMatchObject({ id: 't1', title: 'Buy groceries', isCompleted: true, completed: true, version: 1 });
    expect(task.createdAt).toMatch(RFC3339);
    expect(task.updatedAt).toMatch(RFC3339);

    const updated = await send('PUT', `/v1/tasks/${task.id}`, {
      title: 'Buy groceries and cook dinner',
      isCompleted: false,
      version: 1,
      clientTimestamp: '2026-01-13T16:00:00Z',
    });
    expect(updated.status).toBe(200);
    expect(updated.json.data).toMatchObject({ version: 2, title: 'Buy groceries and cook dinner', isCompleted: false });

    const conflict = await send('PUT', `/v1/tasks/${task.id}`, { title: 'Updated', version: 1 });
    expect(conflict.status).toBe(409);
    expect(conflict.json.error).toMatchObject({ code: 'VERSION_CONFLICT', currentVersion: 2, serverData: { id: 't1', version: 2 } });

    // Instants, not strings: …16:10:00.500Z then …16:10:00Z; the later instant stays.
    await send('PUT', `/v1/tasks/${task.id}`, { title: 'half past', clientTimestamp: '2026-01-13T16:10:00.500Z' });
    const older = await send('PUT', `/v1/tasks/${task.id}`, { title: 'on the second', updatedAt: '2026-01-13T16:10:00Z' });
    expect(older.json.data.title).toBe('half past');

    const idem = { 'idempotency-key': 'uuid-client-generated-key' };
    const second = await send('POST', '/v1/tasks', { title: 'Call mum', isCompleted: false, clientId: 'uuid-2', clientTimestamp: '2026-01-13T17:00:00Z' }, idem);
    const retry = await send('POST', '/v1/tasks', { title: 'Call mum', isCompleted: false, clientId: 'uuid-2', clientTimestamp: '2026-01-13T17:00:00Z' }, idem);
    expect(retry.status).toBe(200);
    expect(retry.json).toEqual({ data: second.json.data, meta: { idempotent: true } });

    const full = await send('GET', '/v1/tasks');
    expect(full.json.data.tasks.map((t: { id: string }) => t.id)).toEqual(['t1', 't2']);
    expect(full.json.data.syncMetadata).toEqual({ serverTimestamp: expect.stringMatching(RFC3339), hasMore: false });
    const lastSync = full.json.data.syncMetadata.serverTimestamp;

    expect((await send('DELETE', '/v1/tasks/t2')).status).toBe(200);
    const delta = await send('GET', `/v1/tasks?since=${encodeURIComponent(lastSync)}`);
    expect(delta.json.data).toMatchObject({ tasks: [], deletedTaskIds: ['t2'] });
    const byCursor = await send('GET', '/v1/tasks?since=0&limit=1');
    expect(byCursor.json.data).toMatchObject({ hasMore: true, syncMetadata: { hasMore: true } });

    const batch = await send('POST', '/v1/sync/batch', {
      operations: [
        { type: 'create', clientId: 'uuid1', data: { title: 'From the queue', isCompleted: false, clientTimestamp: '2026-01-13T18:00:00Z' } },
        { type: 'update', id: 't1', version: 1, data: { title: 'stale', isCompleted: true } },
        { type: 'delete', id: 't404' },
      ],
      lastSyncTimestamp: lastSync,
    });
    expect(batch.status).toBe(200);
    expect(batch.json.results).toMatchObject([
      { clientId: 'uuid1', success: true, serverId: 't3' },
      { id: 't1', success: false, error: { code: 'VERSION_CONFLICT' } },
      { id: 't404', success: false, error: { code: 'NOT_FOUND' } },
    ]);
    expect(batch.json.deltaUpdates).toMatchObject({ tasks: [{ id: 't3' }], deletedTaskIds: ['t2'] });
    expect(batch.json.serverTimestamp).toMatch(RFC3339);

    const status = await send('GET', '/v1/sync/status');
    expect(status.json).toMatchObject({ lastSyncTimestamp: expect.stringMatching(RFC3339), pendingChanges: expect.any(Number), conflictsNeedingResolution: 0, serverVersion: '1' });
    const head = await send('HEAD', `/v1/sync/status?since=${status.json.cursor}`);
    expect(head.headers.get('x-has-updates')).toBe('false');
    expect(head.headers.get('x-pending-count')).toBe('0');
    expect(head.headers.get('x-last-sync')).toMatch(RFC3339);

    for (const text of seen) {
      expect(text).not.toContain('"device":""');
      expect(text).not.toContain('"write":null');
    }
  });

  it('keeps users apart and answers the design errors: QUOTA_EXCEEDED past --max-tasks, CURSOR_AHEAD, TITLE_TOO_LONG', async () => {
    expect((await send('GET', '/v1/tasks/t1', undefined, {}, 'tok-b')).status).toBe(404);
    let over: Awaited<ReturnType<typeof send>> | undefined;
    for (let i = 0; i < 8 && over === undefined; i++) {
      const reply = await send('POST', '/v1/tasks', { title: `bob ${i}`, isCompleted: false, clientId: `b${i}` }, {}, 'tok-b');
      if (reply.status !== 201) over = reply;
    }
    expect(over?.status).toBe(403);
    expect(over?.json.error).toMatchObject({ code: 'QUOTA_EXCEEDED', currentUsage: 6, limit: 6 });
    const ahead = await send('GET', '/v1/tasks?since=9999999999');
    expect(ahead.status).toBe(409);
    expect(ahead.json.error.code).toBe('CURSOR_AHEAD');
    const long = await send('POST', '/v1/tasks', { title: 'x'.repeat(10_001), isCompleted: false, clientId: 'long' });
    expect([long.status, long.json.error.code]).toEqual([400, 'TITLE_TOO_LONG']);
  });
});

describe('hostile HTTP against syncsim serve', () => {
  it('answers CONNECT and methods the parser does not know with 405, and closes', async () => {
    const connectReply = await rawExchange('CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n');
    expect(connectReply).toMatch(/^HTTP\/1\.1 405 /);
    expect(connectReply).toContain('"METHOD_NOT_ALLOWED"');
    const unknown = await rawExchange('BREW /v1/tasks HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(unknown).toMatch(/^HTTP\/1\.1 405 /);
    const patch = await send('PATCH', '/v1/tasks/t1', { title: 'x' });
    expect(patch.status).toBe(405);
  });

  it('closes a connection whose headers never finish (slowloris) with 408', async () => {
    const reply = await rawExchange('GET /v1/tasks HTTP/1.1\r\nHost: x\r\nX-Slow: ');
    expect(reply).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('closes a connection whose body never finishes', async () => {
    const reply = await rawExchange('POST /v1/tasks HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer tok-a\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"title":');
    expect(reply === '' || /^HTTP\/1\.1 408 /.test(reply)).toBe(true);
    // The server still serves everyone else.
    expect((await send('GET', '/v1/sync/status')).status).toBe(200);
  });
});
