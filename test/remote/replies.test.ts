import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decisionsOf } from '../../src/remote/replies.ts';

const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
const request = (method: string, path: string, body: unknown, headers: Record<string, string> = {}) => ({ method, path, headers, body: body === null ? null : JSON.stringify(body) });
const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => ({ status, headers, body: bytes(body) });

describe("a real server's decisions, read from its replies", () => {
  it("syncsim's own dialect: applied, duplicate, lost by stamp, conflict; nothing for a 503", () => {
    const create = request('POST', '/v1/tasks', { clientId: 'c1', title: 'A', completed: false, write: 'phone#1' });
    expect(decisionsOf(create, reply(201, { data: { id: 't1', clientId: 'c1', title: 'A', completed: false, version: 1 } }), 'demo')).toEqual([
      { op: 'create', user: 'demo', write: 'phone#1', id: 't1', clientId: 'c1', result: 'applied', version: 1, cursor: 0, value: { title: 'A', completed: false, deleted: false } },
    ]);
    expect(decisionsOf(create, reply(200, { data: { id: 't1', clientId: 'c1', version: 1 }, meta: { idempotent: true } }), 'demo')[0]?.result).toBe('duplicate');
    const update = request('PUT', '/v1/tasks/t1', { title: 'B', version: 1 });
    expect(decisionsOf(update, reply(200, { data: { id: 't1', title: 'A', version: 2 }, meta: { applied: false } }), 'demo')[0]).toMatchObject({ result: 'rejected', id: 't1', value: { title: 'B' } });
    expect(decisionsOf(update, reply(409, { error: { code: 'VERSION_CONFLICT', serverData: { id: 't1', version: 3 } } }), 'demo')[0]).toMatchObject({ result: 'conflict', version: 3 });
    expect(decisionsOf(update, reply(503, { error: { code: 'SERVICE_UNAVAILABLE' } }), 'demo')).toEqual([]);
    expect(decisionsOf(request('GET', '/v1/tasks?since=0', null), reply(200, { data: { tasks: [] } }), 'demo')).toEqual([]);
  });

  it('a batch: one decision per result, in order, each applied one with its own change number', () => {
    const batch = request('POST', '/v1/sync/batch', { operations: [
      { type: 'create', clientId: 'c1', title: 'A', completed: false },
      { type: 'update', id: 't9', title: 'B', version: 1 },
      { type: 'delete', id: 't2' },
    ] });
    const answer = reply(200, { cursor: 7, results: [
      { index: 0, status: 201, success: true, id: 't1', clientId: 'c1', version: 1, data: { id: 't1', clientId: 'c1', version: 1 } },
      { index: 1, status: 409, success: false, id: 't9', error: { code: 'VERSION_CONFLICT' } },
      { index: 2, status: 200, success: true, id: 't2', version: 4, data: { id: 't2', version: 4 } },
    ] });
    expect(decisionsOf(batch, answer, 'demo').map((d) => [d.op, d.id, d.result, d.cursor])).toEqual([
      ['create', 't1', 'applied', 6], ['update', 't9', 'conflict', 6], ['delete', 't2', 'applied', 7],
    ]);
  });

  it("the design's dialect: batch data, success, serverId, isCompleted; gzip both ways", () => {
    const body = { operations: [{ type: 'create', clientId: 'c1', data: { title: 'A', isCompleted: true } }] };
    const batch = { method: 'POST', path: '/v1/sync/batch', headers: { 'content-encoding': 'gzip' }, body: new Uint8Array(gzipSync(JSON.stringify(body))) };
    const answer = { status: 200, headers: { 'content-encoding': 'gzip' }, body: new Uint8Array(gzipSync(JSON.stringify({ results: [{ clientId: 'c1', success: true, serverId: 's1' }], deltaUpdates: { tasks: [] } }))) };
    expect(decisionsOf(batch, answer, 'demo')).toEqual([
      { op: 'create', user: 'demo', write: null, id: 's1', clientId: 'c1', result: 'applied', version: 0, cursor: 0, value: { title: 'A', completed: true, deleted: false } },
    ]);
  });

  it('a reply that is not JSON decides nothing and throws nothing', () => {
    const create = request('POST', '/v1/tasks', { clientId: 'c1', title: 'A' });
    expect(decisionsOf(create, { status: 201, headers: {}, body: new TextEncoder().encode('<html>') }, 'demo')).toMatchObject([{ result: 'applied', id: '' }]);
  });
});
