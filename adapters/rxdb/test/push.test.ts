import { describe, expect, it } from 'vitest';
import { fromWire } from '../src/pull.ts';
import { Pusher } from '../src/push.ts';
import type { ApiReply, ServerApi, WireTask } from '../src/server-api.ts';
import type { TaskState } from '../src/task-doc.ts';

interface Call { method: string; path: string; body: unknown }

/** A stand-in for the server: answers each call with the next canned reply. */
function fakeApi(replies: Array<Record<string, unknown>>): { api: ServerApi; calls: Call[] } {
  const calls: Call[] = [];
  const api = {
    async call(method: string, path: string, body?: unknown): Promise<ApiReply> {
      calls.push({ method, path, body });
      const next = replies.shift();
      if (next === undefined) throw new Error(`unexpected ${method} ${path}`);
      return { status: 200, body: next, header: () => null };
    },
  } as unknown as ServerApi;
  return { api, calls };
}

const doc = (over: Partial<TaskState> = {}): TaskState => ({
  id: 'phone-1-1', serverId: '', title: 'Walk dog', completed: false, version: 0, stamp: '000000000001000.000000',
  device: 'phone', write: 'phone#1', _deleted: false, ...over,
});
const wire = (over: Partial<WireTask> = {}): WireTask => ({
  id: 't1', clientId: 'phone-1-1', title: 'Walk dog', completed: false, version: 1, stamp: '000000000001000.000000',
  device: 'phone', deleted: false, write: 'phone#1', ...over,
});
const operations = (call: Call | undefined) => (call?.body as { operations: Array<Record<string, unknown>> }).operations;

describe('the push handler', () => {
  it('a document the server never acknowledged is a create with its clientId and an idempotency key', async () => {
    const { api, calls } = fakeApi([{ results: [{ success: true, status: 201, data: wire() }] }]);
    const conflicts = await new Pusher(api, () => 0, () => undefined).push([{ newDocumentState: doc() }]);
    expect(conflicts).toEqual([]);
    expect(calls[0]?.path).toBe('/v1/sync/batch');
    expect(operations(calls[0])).toEqual([{
      type: 'create', clientId: 'phone-1-1', title: 'Walk dog', completed: false, stamp: '000000000001000.000000',
      device: 'phone', write: 'phone#1', idempotencyKey: 'phone:phone-1-1:create:000000000001000.000000',
    }]);
  });

  it('an update carries the last server version the device heard of', async () => {
    const { api, calls } = fakeApi([{ results: [{ success: true, status: 200, data: wire({ title: 'new', version: 4, stamp: '000000000002000.000000' }) }] }]);
    const pusher = new Pusher(api, () => 0, () => undefined);
    pusher.learn({ id: 'phone-1-1', serverId: 't1', version: 3 });
    const assumed = doc({ serverId: 't1', version: 2 });
    await pusher.push([{ newDocumentState: doc({ serverId: 't1', version: 2, title: 'new', stamp: '000000000002000.000000' }), assumedMasterState: assumed }]);
    expect(operations(calls[0])[0]).toMatchObject({ type: 'update', id: 't1', version: 3, title: 'new' });
  });

  it('a 409 hands RxDB the server state to resolve', async () => {
    const serverData = wire({ title: 'theirs', version: 5, stamp: '000000000003000.000000', device: 'ipad', write: 'ipad#1' });
    const { api } = fakeApi([{ results: [{ success: false, status: 409, error: { code: 'VERSION_CONFLICT', serverData } }] }]);
    const conflicts = await new Pusher(api, () => 0, () => undefined).push([
      { newDocumentState: doc({ serverId: 't1', version: 1, title: 'mine' }), assumedMasterState: doc({ serverId: 't1', version: 1 }) },
    ]);
    expect(conflicts).toEqual([fromWire(serverData)]);
  });

  it('a replayed reply is checked against the task as the server holds it now', async () => {
    const tombstone = wire({ deleted: true, version: 2, stamp: '000000000008000.000000', device: 'ipad', write: 'ipad#1' });
    const { api, calls } = fakeApi([
      { results: [{ success: true, status: 200, data: wire(), meta: { idempotent: true } }] },
      { data: tombstone },
    ]);
    const conflicts = await new Pusher(api, () => 0, () => undefined).push([{ newDocumentState: doc() }]);
    expect(calls[1]).toMatchObject({ method: 'GET', path: '/v1/tasks/t1' });
    expect(conflicts).toEqual([fromWire(tombstone)]);
  });

  it('a task created and deleted before it ever synced is created, then deleted by its new id', async () => {
    const deleted = doc({ _deleted: true, stamp: '000000000002000.000000', write: 'phone#2' });
    const { api, calls } = fakeApi([
      { results: [{ success: true, status: 201, data: wire({ stamp: deleted.stamp, write: 'phone#2' }) }] },
      { results: [{ success: true, status: 200, data: wire({ deleted: true, version: 2, stamp: deleted.stamp, write: 'phone#2' }) }] },
    ]);
    expect(await new Pusher(api, () => 0, () => undefined).push([{ newDocumentState: deleted }])).toEqual([]);
    expect(operations(calls[0])[0]).toMatchObject({ type: 'create' });
    expect(operations(calls[1])[0]).toMatchObject({ type: 'delete', id: 't1' });
  });

  it('a create the quota refuses is given up, not retried in a loop, and reported', async () => {
    const dropped: string[] = [];
    const { api } = fakeApi([{ results: [{ success: false, status: 403, error: { code: 'QUOTA_EXCEEDED' } }] }]);
    const conflicts = await new Pusher(api, () => 0, (d, status, code) => dropped.push(`${d.id} ${status} ${code}`)).push([{ newDocumentState: doc() }]);
    expect(conflicts).toEqual([]);
    expect(dropped).toEqual(['phone-1-1 403 QUOTA_EXCEEDED']);
  });

  it('a resolved conflict equal to the server state sends nothing', async () => {
    const { api, calls } = fakeApi([]);
    const state = doc({ serverId: 't1', version: 3 });
    expect(await new Pusher(api, () => 0, () => undefined).push([{ newDocumentState: state, assumedMasterState: { ...state } }])).toEqual([]);
    expect(calls).toEqual([]);
  });
});
