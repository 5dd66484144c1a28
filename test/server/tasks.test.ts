import { describe, expect, it } from 'vitest';
import { wire, world } from './client.ts';

describe('auth and isolation', () => {
  it('answers 401 without a token or with an unknown one', () => {
    const w = world();
    for (const token of [null, 'nope']) {
      const reply = w.call('GET', '/v1/tasks', { token });
      expect(reply.status).toBe(401);
      expect(reply.json.error).toMatchObject({ code: 'UNAUTHORIZED', retryable: false });
      expect(reply.headers['content-type']).toMatch(/^application\/json/);
    }
    expect(w.call('GET', '/v1/tasks', { headers: { authorization: 'Basic tok-a' }, token: null }).status).toBe(401);
  });

  it("hides another user's task: 404 for reads and writes, and it stays unchanged", () => {
    const w = world();
    const id = w.create('c1', 'alice task').json.data.id;
    const before = w.server.tasks('alice');
    const asBob = { token: 'tok-b' };
    expect(w.call('GET', `/v1/tasks/${id}`, asBob).json.error.code).toBe('NOT_FOUND');
    expect(w.call('PUT', `/v1/tasks/${id}`, { ...asBob, body: { title: 'x', stamp: '9' } }).status).toBe(404);
    expect(w.call('DELETE', `/v1/tasks/${id}`, asBob).status).toBe(404);
    expect(w.call('GET', '/v1/tasks', asBob).json.data.tasks).toEqual([]);
    expect(w.server.tasks('alice')).toEqual(before);
    expect(w.server.tasks('bob')).toEqual([]);
  });

  it('keeps clientIds per user: the same clientId makes one task for each user', () => {
    const w = world();
    const a = w.create('same', 'a');
    const b = w.create('same', 'b', '0001', {}, { token: 'tok-b' });
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.json.data.id).not.toBe(b.json.data.id);
  });
});

describe('create', () => {
  it('creates version 1 with deterministic ids and server times', () => {
    const w = world();
    const first = w.create('c1', 'Buy milk', '0005', { device: 'phone', completed: true, write: 'phone#1' });
    expect(first.status).toBe(201);
    const at = new Date(w.now).toISOString();
    expect(first.json.data).toEqual({
      id: 't1',
      clientId: 'c1',
      title: 'Buy milk',
      completed: true,
      isCompleted: true,
      createdAt: at,
      updatedAt: at,
      version: 1,
      stamp: '0005',
      deleted: false,
      device: 'phone',
      write: 'phone#1',
    });
    // The extensions appear only when they hold something.
    const second = w.create('c2', 'Second').json.data;
    expect(second).toMatchObject({ id: 't2', completed: false, isCompleted: false });
    expect(second).not.toHaveProperty('device');
    expect(second).not.toHaveProperty('write');
    expect(w.events[0]).toEqual({
      op: 'create', user: 'alice', write: 'phone#1', id: 't1', clientId: 'c1', result: 'applied', version: 1, cursor: 1,
      value: { title: 'Buy milk', completed: true, deleted: false },
    });
  });

  it('is idempotent by clientId: a repeat returns the original task, 200, and is traced as duplicate', () => {
    const w = world();
    const original = w.create('c1', 'first');
    w.tick();
    const repeat = w.create('c1', 'other title', '0009');
    expect(repeat.status).toBe(200);
    expect(repeat.json.data).toEqual(original.json.data);
    expect(repeat.json.meta).toEqual({ idempotent: true });
    expect(w.server.tasks('alice')).toHaveLength(1);
    expect(w.events.map((e) => e.result)).toEqual(['applied', 'duplicate']);
    expect(w.events[1]).toMatchObject({ id: 't1', version: 1, cursor: 1 });
  });

  it('is idempotent by Idempotency-Key: same key and body replays the stored reply', () => {
    const w = world();
    const headers = { 'idempotency-key': 'k1' };
    const first = w.create('c1', 'first', '0001', {}, { headers });
    // The task changes meanwhile; the replay still shows what the first call answered.
    w.call('PUT', '/v1/tasks/t1', { body: { title: 'changed', stamp: '0002' } });
    const again = w.create('c1', 'first', '0001', {}, { headers });
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.json).toEqual({ data: first.json.data, meta: { idempotent: true } });
    expect(w.events.at(-1)).toMatchObject({ op: 'create', result: 'duplicate', id: 't1', version: 2 });
    expect(w.server.tasks('alice')).toHaveLength(1);
  });

  it('answers 422 when an Idempotency-Key is reused with another body, and changes nothing', () => {
    const w = world();
    const headers = { 'idempotency-key': 'k1' };
    w.create('c1', 'first', '0001', {}, { headers });
    const before = w.server.tasks('alice');
    const events = w.events.length;
    const reused = w.create('c2', 'second', '0001', {}, { headers });
    expect(reused.status).toBe(422);
    expect(reused.json.error).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', retryable: false });
    expect(w.server.tasks('alice')).toEqual(before);
    expect(w.events).toHaveLength(events);
    // Keys are per user: bob may use the same key.
    expect(w.create('c2', 'second', '0001', {}, { headers, token: 'tok-b' }).status).toBe(201);
  });

  it('answers 403 QUOTA_EXCEEDED past the live-task quota; deleting frees room', () => {
    const w = world({ quota: 2 });
    w.create('c1', 'a');
    w.create('c2', 'b');
    const over = w.create('c3', 'c', '0001', { write: 'phone#3' });
    expect(over.status).toBe(403);
    expect(over.json.error).toMatchObject({ code: 'QUOTA_EXCEEDED', currentUsage: 2, limit: 2 });
    expect(w.events.at(-1)).toMatchObject({ op: 'create', result: 'rejected', id: '', clientId: 'c3', write: 'phone#3' });
    expect(w.server.tasks('alice')).toHaveLength(2);
    // A retry of an existing create is not a new task, so the quota does not apply.
    expect(w.create('c1', 'a').status).toBe(200);
    w.call('DELETE', '/v1/tasks/t1');
    expect(w.create('c3', 'c').status).toBe(201);
    w.server.setQuota(null);
    expect(w.create('c4', 'd').status).toBe(201);
  });
});

describe('update', () => {
  it('applies a newer stamp: fields replaced, version and cursor advance', () => {
    const w = world();
    w.create('c1', 'old', '0001');
    w.tick(5);
    const reply = w.call('PUT', '/v1/tasks/t1', { body: { completed: true, version: 1, stamp: '0002', device: 'ipad', write: 'ipad#1' } });
    expect(reply.status).toBe(200);
    expect(reply.json.meta).toEqual({ applied: true });
    expect(reply.json.data).toMatchObject({ title: 'old', completed: true, version: 2, stamp: '0002', device: 'ipad', updatedAt: new Date(w.now).toISOString() });
    expect(w.events.at(-1)).toEqual({
      op: 'update', user: 'alice', write: 'ipad#1', id: 't1', clientId: 'c1', result: 'applied', version: 2, cursor: 2,
      value: { title: 'old', completed: true, deleted: false },
    });
  });

  it('answers 409 VERSION_CONFLICT with currentVersion and serverData on a stale version', () => {
    const w = world();
    w.create('c1', 'a', '0001');
    w.call('PUT', '/v1/tasks/t1', { body: { title: 'b', version: 1, stamp: '0002' } });
    const before = w.server.tasks('alice');
    const stale = w.call('PUT', '/v1/tasks/t1', { body: { title: 'c', version: 1, stamp: '0003' } });
    expect(stale.status).toBe(409);
    expect(stale.json.error).toMatchObject({ code: 'VERSION_CONFLICT', currentVersion: 2, retryable: false });
    expect(stale.json.error.serverData).toEqual(wire(before[0]));
    expect(w.server.tasks('alice')).toEqual(before);
    expect(w.events.at(-1)).toMatchObject({ result: 'conflict', version: 2, cursor: 2 });
  });

  it('decides last-write-wins by stamp, then by device', () => {
    const w = world();
    w.create('c1', 'a', '0005', { device: 'm' });
    const put = (stamp: string, device: string, title: string) =>
      w.call('PUT', '/v1/tasks/t1', { body: { title, stamp, device } });
    const older = put('0004', 'z', 'older');
    expect(older.status).toBe(200);
    expect(older.json.meta).toEqual({ applied: false, reason: 'STALE_STAMP' });
    expect(older.json.data.title).toBe('a');
    expect(w.events.at(-1)).toMatchObject({ result: 'rejected', version: 1 });
    expect(put('0005', 'a', 'same stamp, lower device').json.meta.applied).toBe(false);
    expect(put('0005', 'm', 'same stamp and device').json.meta.applied).toBe(false);
    expect(put('0005', 'n', 'same stamp, higher device').json.meta.applied).toBe(true);
    expect(put('0006', '', 'newer stamp').json.meta.applied).toBe(true);
    expect(w.server.tasks('alice')[0]).toMatchObject({ title: 'newer stamp', version: 3, stamp: '0006', device: '' });
  });

  it('never revives a tombstone: 409 TASK_DELETED with serverData', () => {
    const w = world();
    w.create('c1', 'a');
    w.call('DELETE', '/v1/tasks/t1');
    const before = w.server.tasks('alice');
    const put = w.call('PUT', '/v1/tasks/t1', { body: { title: 'back', stamp: '9999' } });
    expect(put.status).toBe(409);
    expect(put.json.error).toMatchObject({ code: 'TASK_DELETED', serverData: { id: 't1', deleted: true } });
    expect(w.server.tasks('alice')).toEqual(before);
    expect(w.events.at(-1)).toMatchObject({ op: 'update', result: 'rejected', version: 2 });
    // A create repeating its clientId does not bring it back either.
    expect(w.create('c1', 'a').json.data.deleted).toBe(true);
  });

  it('replays an update by Idempotency-Key and rejects the key on another task', () => {
    const w = world();
    w.create('c1', 'a');
    w.create('c2', 'b');
    const headers = { 'idempotency-key': 'u1' };
    const body = { title: 'x', stamp: '0002' };
    const first = w.call('PUT', '/v1/tasks/t1', { body, headers });
    const again = w.call('PUT', '/v1/tasks/t1', { body, headers });
    expect(again.status).toBe(200);
    expect(again.json).toEqual({ data: first.json.data, meta: { applied: true, idempotent: true } });
    expect(w.server.tasks('alice')[0]?.version).toBe(2);
    expect(w.call('PUT', '/v1/tasks/t2', { body, headers }).status).toBe(422);
  });
});

describe('delete', () => {
  it('tombstones once; a second delete is 200, unchanged, traced as duplicate', () => {
    const w = world();
    w.create('c1', 'a', '0001');
    const first = w.call('DELETE', '/v1/tasks/t1', { body: { write: 'phone#2' } });
    expect(first.status).toBe(200);
    expect(first.json.data).toMatchObject({ id: 't1', deleted: true, version: 2 });
    const before = w.server.tasks('alice');
    const second = w.call('DELETE', '/v1/tasks/t1');
    expect(second.status).toBe(200);
    expect(second.json.data).toEqual(wire(before[0]));
    expect(w.server.tasks('alice')).toEqual(before);
    expect(w.events.slice(1).map((e) => [e.result, e.version, e.cursor, e.write])).toEqual([
      ['applied', 2, 2, 'phone#2'],
      ['duplicate', 2, 2, null],
    ]);
  });

  it('wins over updates with greater stamps, and keeps the greater stamp', () => {
    const w = world();
    w.create('c1', 'a', '0005');
    const deleted = w.call('DELETE', '/v1/tasks/t1', { body: { stamp: '0001', device: 'x' } });
    expect(deleted.json.data).toMatchObject({ deleted: true, stamp: '0005' });
    expect(w.call('PUT', '/v1/tasks/t1', { body: { title: 'late', stamp: '0009' } }).status).toBe(409);
  });
});
