import { describe, expect, it } from 'vitest';
import { ApiFailure, type BatchOperation, type BatchResult, type ServerTask, type TaskApi } from '../src/api.ts';
import { resolveLww } from '../src/conflict.ts';
import { cursorOf } from '../src/pull.ts';
import { pushChanges } from '../src/push.ts';
import type { TaskRaw } from '../src/schema.ts';
import { compareWrites, formatStamp, nextStamp, parseStamp, STAMP_ZERO } from '../src/stamp.ts';
import { remoteRaw } from '../src/wire.ts';

const row = (over: Partial<TaskRaw> = {}): TaskRaw => ({
  id: 'c1', title: 'local', completed: false, server_id: 't1', version: 1, stamp: formatStamp({ physical: 2000, counter: 0 }),
  device: 'a', write: 'a#1', _status: 'updated', _changed: 'title,stamp', ...over,
});
const task = (over: Partial<ServerTask> = {}): ServerTask => ({
  id: 't1', clientId: 'c1', title: 'remote', completed: true, isCompleted: true, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:01.000Z',
  version: 2, stamp: formatStamp({ physical: 1000, counter: 0 }), device: 'b', deleted: false, write: 'b#1', ...over,
});

describe('stamps', () => {
  it('follow the clock, and pass the edited row and the last stamp when the clock lags', () => {
    expect(formatStamp(nextStamp(STAMP_ZERO, null, 1234))).toBe('000000000001234.000000');
    const basis = formatStamp({ physical: 9000, counter: 3 });
    expect(nextStamp(STAMP_ZERO, basis, 100)).toEqual({ physical: 9000, counter: 4 });
    expect(nextStamp({ physical: 500, counter: 0 }, null, 400)).toEqual({ physical: 500, counter: 1 });
    expect(nextStamp(STAMP_ZERO, null, -5000)).toEqual({ physical: 0, counter: 1 });
  });

  it('read another format as zero, and order writes by stamp then device', () => {
    expect(parseStamp('2024-01-01T00:00:00Z')).toEqual(STAMP_ZERO);
    expect(compareWrites({ stamp: '1', device: 'a' }, { stamp: '1', device: 'b' })).toBe(-1);
    expect(compareWrites({ stamp: '2', device: 'a' }, { stamp: '1', device: 'b' })).toBe(1);
  });

  it('take a device the wire left out (an empty one) as the empty id, on both sides', () => {
    const { device: _, ...withoutDevice } = task();
    expect(compareWrites(withoutDevice, { stamp: withoutDevice.stamp, device: 'a' })).toBe(-1);
    expect(compareWrites(withoutDevice, { stamp: withoutDevice.stamp, device: '' })).toBe(0);
    expect(remoteRaw(withoutDevice)).toMatchObject({ device: '', write: 'b#1' });
    const { write: __, ...withoutWrite } = task();
    expect(remoteRaw(withoutWrite).write).toBe(null);
  });
});

describe('the conflict resolver (LWW by stamp, per row)', () => {
  const resolved = (local: TaskRaw, remote: Record<string, unknown>) => ({ ...local, ...remote, title: local.title, _status: local._status, _changed: local._changed });

  it('keeps the whole local write when its stamp is greater, with the server id and version', () => {
    const local = row();
    const remote = { id: 'c1', server_id: 't1', title: 'remote', completed: true, version: 2, stamp: task().stamp, device: 'b', write: 'b#1' };
    const out = resolveLww('tasks', local as never, remote, resolved(local, remote));
    expect(out).toMatchObject({ title: 'local', completed: false, stamp: local.stamp, write: 'a#1', version: 2, _status: 'updated' });
    expect(String(out._changed).split(',')).toEqual(expect.arrayContaining(['title', 'completed', 'stamp']));
  });

  it('takes the server row whole, as synced, when its stamp is greater', () => {
    const local = row({ stamp: formatStamp({ physical: 500, counter: 0 }) });
    const remote = { id: 'c1', server_id: 't1', title: 'remote', completed: true, version: 2, stamp: task().stamp, device: 'b', write: 'b#1' };
    expect(resolveLww('tasks', local as never, remote, resolved(local, remote))).toMatchObject({ title: 'remote', completed: true, _status: 'synced', _changed: '' });
  });

  it('turns a local create the server already holds into an update', () => {
    const local = row({ _status: 'created', server_id: null, version: 0 });
    const remote = { id: 'c1', server_id: 't1', title: 'remote', completed: true, version: 2, stamp: task().stamp, device: 'b', write: 'b#1' };
    expect(resolveLww('tasks', local as never, remote, resolved(local, remote))).toMatchObject({ _status: 'updated', server_id: 't1', version: 2 });
  });
});

describe('the pull cursor', () => {
  it('maps lastPulledAt (cursor + 1, truthy) back to the cursor', () => {
    expect(cursorOf(null)).toBe(0);
    expect(cursorOf(undefined)).toBe(0);
    expect(cursorOf(1)).toBe(0);
    expect(cursorOf(43)).toBe(42);
  });
});

/** A TaskApi whose batch answers from a script, recording what was sent. */
function scriptedApi(answer: (op: BatchOperation) => BatchResult): { api: TaskApi; sent: BatchOperation[][] } {
  const sent: BatchOperation[][] = [];
  const api = { batch: async (ops: BatchOperation[]) => { sent.push(ops); return ops.map(answer); } } as unknown as TaskApi;
  return { api, sent };
}

describe('the push', () => {
  it('creates rows the server may not know, then updates and deletes with versions and idempotency keys', async () => {
    const { api, sent } = scriptedApi((op) => op.type === 'create'
      ? { success: true, status: 201, id: 't9', version: 1 }
      : { success: true, status: 200 });
    const created = row({ id: 'n1', _status: 'created', server_id: null, version: 0 });
    const outcome = await pushChanges(api, { created: [created], updated: [row()], deleted: [row({ id: 'd1', server_id: 't5', version: 3 })] }, 7);
    expect(sent.map((ops) => ops.map((op) => op.type))).toEqual([['create'], ['update', 'delete']]);
    expect(sent[0]![0]).toMatchObject({ clientId: 'n1', idempotencyKey: `create:n1:${created.stamp}:a#1` });
    expect(sent[1]![0]).toMatchObject({ id: 't1', version: 1 });
    expect(sent[1]![1]).toMatchObject({ id: 't5', version: 3 });
    expect(outcome).toMatchObject({ rejected: [], sent: 3 });
  });

  it('resends an update after a 409 with the server version when its stamp wins, and drops it when it loses', async () => {
    const winning = row({ id: 'w', server_id: 'tw' });
    const losing = row({ id: 'l', server_id: 'tl', stamp: formatStamp({ physical: 1, counter: 0 }) });
    const { api, sent } = scriptedApi((op) => op.type === 'update' && op.version === 1
      ? { success: false, status: 409, error: { code: 'VERSION_CONFLICT', serverData: task({ id: op.id, version: 5 }) } }
      : { success: true, status: 200 });
    await pushChanges(api, { created: [], updated: [winning, losing], deleted: [] }, 0);
    expect(sent.map((ops) => ops.map((op) => `${op.type}:${'id' in op ? op.id : ''}:${'version' in op ? op.version : ''}`))).toEqual([
      ['update:tw:1', 'update:tl:1'],
      ['update:tw:5'],
    ]);
  });

  it('resends a delete refused for its version with the server version: a delete wins (the loop WatermelonDB alone would not leave)', async () => {
    const { api, sent } = scriptedApi((op) => op.type === 'delete' && op.version === 1
      ? { success: false, status: 409, error: { code: 'VERSION_CONFLICT', serverData: task({ version: 4 }) } }
      : { success: true, status: 200 });
    const outcome = await pushChanges(api, { created: [], updated: [], deleted: [row({ _status: 'deleted' })] }, 0);
    expect(sent.map((ops) => ops.map((op) => 'version' in op ? op.version : null))).toEqual([[1], [4]]);
    expect(outcome.rejected).toEqual([]);
  });

  it('keeps a row refused for good (quota) out of the queue and a row that failed otherwise pending', async () => {
    const { api } = scriptedApi((op) => op.type === 'create' && op.clientId === 'q'
      ? { success: false, status: 403, error: { code: 'QUOTA_EXCEEDED' } }
      : { success: false, status: 500, error: { code: 'INTERNAL' } });
    const outcome = await pushChanges(api, { created: [row({ id: 'q', _status: 'created', server_id: null }), row({ id: 'r', _status: 'created', server_id: null })], updated: [], deleted: [] }, 0);
    expect([...outcome.refused]).toEqual([['q', 'QUOTA_EXCEEDED']]);
    expect(outcome.rejected).toEqual(['r']);
  });

  it('lets a failed request fail the whole push (WatermelonDB re-pushes everything)', async () => {
    const api = { batch: async () => { throw new ApiFailure('POST /v1/sync/batch: 503', 503, 2000); } } as unknown as TaskApi;
    await expect(pushChanges(api, { created: [row({ _status: 'created', server_id: null })], updated: [], deleted: [] }, 0)).rejects.toMatchObject({ retryAfterMs: 2000 });
  });
});
