import { describe, expect, it } from 'vitest';
import { wire, world } from './client.ts';

describe('POST /v1/sync/batch', () => {
  it('runs operations in order with a result each, then answers the delta and the cursor', () => {
    const w = world();
    w.create('c0', 'existing', '0001');
    w.call('PUT', '/v1/tasks/t1', { body: { title: 'moved on', stamp: '0002' } });
    const reply = w.call('POST', '/v1/sync/batch', {
      body: {
        cursor: 2,
        operations: [
          { type: 'create', clientId: 'c1', title: 'new', stamp: '0003', write: 'phone#1' },
          { type: 'update', id: 't1', title: 'stale version', version: 1, stamp: '0004' },
          { type: 'update', id: 't2', completed: true, stamp: '0005', write: 'phone#2' },
          { type: 'frobnicate', id: 't1' },
          { type: 'delete', id: 't99' },
          { type: 'create', clientId: 'c1', title: 'retry', stamp: '0003' },
          { type: 'delete', id: 't1', write: 'phone#3' },
        ],
      },
    });
    expect(reply.status).toBe(200);
    const results = reply.json.results;
    expect(results.map((r: { index: number; status: number; success: boolean }) => [r.index, r.status, r.success])).toEqual([
      [0, 201, true],
      [1, 409, false],
      [2, 200, true],
      [3, 400, false],
      [4, 404, false],
      [5, 200, true],
      [6, 200, true],
    ]);
    expect(results[0]).toMatchObject({ id: 't2', serverId: 't2', clientId: 'c1', version: 1, data: { title: 'new' } });
    expect(results[1].error).toMatchObject({ code: 'VERSION_CONFLICT', currentVersion: 2, serverData: { id: 't1', title: 'moved on' } });
    expect(results[1]).toMatchObject({ id: 't1', version: 2 });
    expect(results[2]).toMatchObject({ version: 2, meta: { applied: true }, data: { completed: true } });
    expect(results[3].error).toMatchObject({ code: 'BAD_REQUEST' });
    expect(results[3].error.message).toContain('operations[3].type');
    expect(results[4].error.code).toBe('NOT_FOUND');
    expect(results[5]).toMatchObject({ id: 't2', meta: { idempotent: true } });
    // The delta after cursor 2 holds the batch's own changes, each task at its latest change.
    expect(reply.json.delta).toEqual({
      tasks: [wire(w.server.tasks('alice')[1])],
      deletedTaskIds: ['t1'],
      deletedTasks: [wire(w.server.tasks('alice')[0])],
      nextCursor: 5,
      hasMore: false,
    });
    expect(reply.json.cursor).toBe(5);
    expect(w.events.slice(2).map((e) => [e.op, e.result, e.write])).toEqual([
      ['create', 'applied', 'phone#1'],
      ['update', 'conflict', null],
      ['update', 'applied', 'phone#2'],
      ['create', 'duplicate', null],
      ['delete', 'applied', 'phone#3'],
    ]);
  });

  it('is not all-or-nothing: a failing operation keeps the earlier ones', () => {
    const w = world({ quota: 1 });
    const reply = w.call('POST', '/v1/sync/batch', {
      body: {
        operations: [
          { type: 'create', clientId: 'c1', title: 'fits', stamp: '1' },
          { type: 'create', clientId: 'c2', title: 'over quota', stamp: '1' },
        ],
      },
    });
    expect(reply.json.results.map((r: { status: number }) => r.status)).toEqual([201, 403]);
    expect(reply.json.results[1]).toMatchObject({ clientId: 'c2', error: { code: 'QUOTA_EXCEEDED', currentUsage: 1, limit: 1 } });
    expect(w.server.tasks('alice').map((t) => t.clientId)).toEqual(['c1']);
  });

  it('shares idempotency keys with single calls, per operation', () => {
    const w = world();
    w.create('c1', 'a', '0001', {}, { headers: { 'idempotency-key': 'k' } });
    const reply = w.call('POST', '/v1/sync/batch', {
      body: {
        operations: [
          { type: 'create', clientId: 'c1', title: 'a', stamp: '0001', idempotencyKey: 'k' },
          { type: 'create', clientId: 'c9', title: 'z', stamp: '0001', idempotencyKey: 'k' },
        ],
      },
    });
    expect(reply.json.results.map((r: { status: number }) => r.status)).toEqual([200, 422]);
    expect(reply.json.results[0].meta).toEqual({ idempotent: true });
  });

  it('pages its delta with cursor and limit', () => {
    const w = world();
    for (let i = 0; i < 5; i++) w.create(`c${i}`, `t${i}`);
    const reply = w.call('POST', '/v1/sync/batch', { body: { operations: [], cursor: 1, limit: 2 } });
    expect(reply.json.delta).toMatchObject({ nextCursor: 3, hasMore: true });
    expect(reply.json.delta.tasks.map((t: { id: string }) => t.id)).toEqual(['t2', 't3']);
    expect(reply.json.cursor).toBe(5);
  });

  it('rejects a malformed envelope as a whole, before running anything', () => {
    const w = world();
    const create = { type: 'create', clientId: 'c1', title: 'a', stamp: '1' };
    const bodies: unknown[] = [
      null,
      [],
      'text',
      {},
      { operations: 'no' },
      { operations: [create], cursor: -1 },
      { operations: [create], cursor: 'x' },
      { operations: [create], limit: 0 },
      { operations: Array.from({ length: 501 }, (_, i) => ({ ...create, clientId: `c${i}` })) },
    ];
    for (const body of bodies) {
      const reply = w.call('POST', '/v1/sync/batch', { body: body ?? undefined, raw: body === null ? null : undefined });
      expect(reply.status, JSON.stringify(body)?.slice(0, 60)).toBe(400);
      expect(reply.json.error.code).toBe('BAD_REQUEST');
    }
    expect(w.server.tasks('alice')).toEqual([]);
    expect(w.events).toEqual([]);
    const full = Array.from({ length: 500 }, (_, i) => ({ ...create, clientId: `c${i}` }));
    expect(w.call('POST', '/v1/sync/batch', { body: { operations: full } }).json.results).toHaveLength(500);
  });
});
