import { describe, expect, it } from 'vitest';
import { compareWrites, lwwConflictHandler, resolveLww } from '../src/lww.ts';
import type { TaskState } from '../src/task-doc.ts';

const doc = (over: Partial<TaskState>): TaskState => ({
  id: 'phone-1-1', serverId: 't1', title: 'a', completed: false, version: 1, stamp: '000000000001000.000000',
  device: 'phone', write: 'phone#1', _deleted: false, ...over,
});

describe('last-write-wins', () => {
  it('a delete beats any live value, whatever the stamps', () => {
    expect(compareWrites(doc({ _deleted: true, stamp: '000000000000001.000000' }), doc({ stamp: '000000000009999.000000' }))).toBeGreaterThan(0);
  });

  it('then the greater stamp, then the greater device id', () => {
    expect(compareWrites(doc({ stamp: '000000000002000.000000' }), doc({}))).toBeGreaterThan(0);
    expect(compareWrites(doc({ device: 'ipad' }), doc({ device: 'phone' }))).toBeLessThan(0);
    expect(compareWrites(doc({}), doc({}))).toBe(0);
  });

  it('keeps the server state when it wins or is the same write', () => {
    const server = doc({ title: 'server', stamp: '000000000005000.000000', version: 4, write: 'ipad#2', device: 'ipad' });
    expect(resolveLww(doc({}), server)).toEqual(server);
    expect(resolveLww(server, server)).toEqual(server);
  });

  it('carries a winning local write onto the server row (its id and version), so the next push is accepted', () => {
    const local = doc({ title: 'local', stamp: '000000000009000.000000', serverId: '', version: 0 });
    const server = doc({ title: 'server', version: 7 });
    expect(resolveLww(local, server)).toEqual({ ...local, serverId: 't1', version: 7 });
  });

  it('the conflict handler compares only the task fields', async () => {
    const a = { ...doc({}), _meta: { lwt: 1 }, _rev: '1-a' } as unknown as TaskState;
    const b = { ...doc({}), _meta: { lwt: 2 }, _rev: '2-b' } as unknown as TaskState;
    expect(lwwConflictHandler.isEqual(a, b, 'test')).toBe(true);
    expect(lwwConflictHandler.isEqual(a, doc({ version: 2 }), 'test')).toBe(false);
    const resolved = await lwwConflictHandler.resolve({ newDocumentState: doc({ _deleted: true }), realMasterState: doc({ version: 3 }) }, 'test');
    expect(resolved).toEqual(doc({ _deleted: true, version: 3 }));
  });
});
