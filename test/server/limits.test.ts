import { describe, expect, it, vi } from 'vitest';
import { UserStore } from '../../src/server/store.ts';
import { IdempotencyRecords } from '../../src/server/idempotency.ts';
import { world } from './client.ts';

describe('title limit', () => {
  it('takes 10,000 characters (code points, so emoji count once) and refuses one more with 400 TITLE_TOO_LONG', () => {
    const w = world();
    expect(w.create('c1', '😀'.repeat(10_000)).status).toBe(201);
    const over = w.create('c2', 'x'.repeat(10_001));
    expect(over.status).toBe(400);
    expect(over.json.error).toMatchObject({ code: 'TITLE_TOO_LONG', limit: 10_000, retryable: false });
    expect(w.call('PUT', '/v1/tasks/t1', { body: { title: 'y'.repeat(10_001), stamp: '9' } }).json.error.code).toBe('TITLE_TOO_LONG');
    expect(w.server.tasks('alice')).toHaveLength(1);
  });
});

describe('per-user budgets', () => {
  it('counts stored tasks, tombstones included, against maxTasks: 403 QUOTA_EXCEEDED in tasks', () => {
    const w = world({ limits: { maxTasks: 2 } });
    w.create('c1', 'a');
    w.call('DELETE', '/v1/tasks/t1');
    w.create('c2', 'b');
    const over = w.create('c3', 'c');
    expect(over.status).toBe(403);
    expect(over.json.error).toMatchObject({ code: 'QUOTA_EXCEEDED', currentUsage: 2, limit: 2, unit: 'tasks' });
    // Another user has a budget of their own.
    expect(w.create('c3', 'c', '0001', {}, { token: 'tok-b' }).status).toBe(201);
  });

  it('counts bytes against maxBytes, for a create and for an update that grows a title', () => {
    const w = world({ limits: { maxBytes: 50_000 } });
    for (let i = 0; i < 2; i++) expect(w.create(`c${i}`, 'x'.repeat(10_000)).status).toBe(201);
    const over = w.create('c9', 'x'.repeat(10_000));
    expect(over.json.error).toMatchObject({ code: 'QUOTA_EXCEEDED', limit: 50_000, unit: 'bytes' });
    w.create('small', 'tiny');
    const grow = w.call('PUT', '/v1/tasks/t3', { body: { title: 'y'.repeat(10_000), stamp: '9' } });
    expect(grow.status).toBe(403);
    // Shrinking a title is always allowed.
    expect(w.call('PUT', '/v1/tasks/t1', { body: { title: 'short', stamp: '9' } }).status).toBe(200);
  });

  it('keeps the scenario quota (live tasks) as it was', () => {
    const w = world({ quota: 1, limits: { maxTasks: 10 } });
    w.create('c1', 'a');
    expect(w.create('c2', 'b').json.error).toMatchObject({ code: 'QUOTA_EXCEEDED', currentUsage: 1, limit: 1 });
    expect(w.create('c2', 'b').json.error).not.toHaveProperty('unit');
  });

  it('forgets the oldest idempotency records past their byte budget', () => {
    const records = new IdempotencyRecords(3_000);
    const data = { id: 't1', clientId: 'c', title: 'x'.repeat(500), completed: false, createdAt: 0, updatedAt: 0, version: 1, stamp: '1', device: '', deleted: false, write: null };
    for (let i = 0; i < 5; i++) records.save('alice', `k${i}`, { fingerprint: 'f', kind: 'create', taskId: 't1', data, meta: undefined });
    expect(records.lookup('alice', 'k0')).toBeUndefined();
    expect(records.lookup('alice', 'k4')).toBeDefined();
  });
});

describe('reply budget', () => {
  it('shrinks delta pages to fit maxReplyBytes; hasMore tells the rest; every task arrives once', () => {
    const w = world({ limits: { maxReplyBytes: 40_000 } });
    for (let i = 0; i < 12; i++) w.create(`c${i}`, `${i}`.padEnd(9_000, 'x'));
    const seen: string[] = [];
    let since = 0;
    for (let pages = 0; pages < 20; pages++) {
      const reply = w.call('GET', `/v1/tasks?since=${since}&limit=1000`);
      expect(reply.status).toBe(200);
      expect(Buffer.byteLength(JSON.stringify(reply.json))).toBeLessThanOrEqual(40_000);
      seen.push(...reply.json.data.tasks.map((t: { id: string }) => t.id));
      since = reply.json.data.nextCursor;
      if (!reply.json.data.hasMore) break;
    }
    expect(seen).toEqual(Array.from({ length: 12 }, (_, i) => `t${i + 1}`));
  });

  it('always sends at least one change, so a pull makes progress under any budget', () => {
    const w = world({ limits: { maxReplyBytes: 100 } });
    w.create('c1', 'x'.repeat(5_000));
    w.create('c2', 'y');
    const first = w.call('GET', '/v1/tasks').json.data;
    expect([first.tasks.length, first.hasMore]).toEqual([1, true]);
  });

  it('gives a batch delta what the results leave of the budget', () => {
    const w = world({ limits: { maxReplyBytes: 30_000 } });
    for (let i = 0; i < 4; i++) w.create(`c${i}`, 'x'.repeat(6_000));
    const reply = w.call('POST', '/v1/sync/batch', { body: { cursor: 0, operations: [{ type: 'create', clientId: 'n', title: 'z'.repeat(6_000), stamp: '2' }] } });
    expect(reply.json.delta.hasMore).toBe(true);
    expect(Buffer.byteLength(JSON.stringify(reply.json))).toBeLessThanOrEqual(30_000);
  });
});

describe('a batch after an operation applied is never a 5xx', () => {
  it('turns an internal error into SYNC_INTERRUPTED for that operation; the ones before it stand', () => {
    const w = world();
    w.create('c0', 'existing');
    const update = vi.spyOn(UserStore.prototype, 'update').mockImplementation(() => {
      throw new Error('disk on fire');
    });
    try {
      const reply = w.call('POST', '/v1/sync/batch', {
        body: {
          operations: [
            { type: 'create', clientId: 'c1', title: 'applied first', stamp: '2' },
            { type: 'update', id: 't1', title: 'boom', stamp: '3' },
            { type: 'create', clientId: 'c2', title: 'never run', stamp: '4' },
          ],
        },
      });
      expect(reply.status).toBe(200);
      expect(reply.json.results.map((r: { success: boolean; status: number }) => [r.success, r.status])).toEqual([[true, 201], [false, 503], [false, 503]]);
      expect(reply.json.results[1].error).toMatchObject({ code: 'SYNC_INTERRUPTED', retryable: true, lastSuccessfulOperation: 0 });
      expect(reply.json.error).toMatchObject({ code: 'SYNC_INTERRUPTED', lastSuccessfulOperation: 0 });
    } finally {
      update.mockRestore();
    }
    expect(w.server.tasks('alice').map((t) => t.clientId)).toEqual(['c0', 'c1']);
  });
});

describe('cursor ahead of the server', () => {
  it('is 409 CURSOR_AHEAD with the server cursor, so a client can start over', () => {
    const w = world();
    w.create('c1', 'a');
    const ahead = w.call('GET', '/v1/tasks?since=9999999999');
    expect(ahead.status).toBe(409);
    expect(ahead.json.error).toMatchObject({ code: 'CURSOR_AHEAD', cursor: 1 });
    expect(w.call('GET', '/v1/tasks?since=1').status).toBe(200);
  });
});

describe('store change times', () => {
  it('never go back, so the change log stays sorted for a timestamp since', () => {
    const store = new UserStore();
    store.create('t1', { clientId: 'a', title: 'a', completed: false, stamp: '1', device: '', write: null }, 5_000);
    store.create('t2', { clientId: 'b', title: 'b', completed: false, stamp: '1', device: '', write: null }, 4_000);
    expect(store.get('t2')?.createdAt).toBe(5_000);
    expect(store.cursorAt(5_000)).toBe(0);
    expect(store.cursorAt(5_001)).toBe(2);
  });
});
