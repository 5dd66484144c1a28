import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { world } from './client.ts';

/** The design document's requests (seed, Part 4), sent to the model as written. */
const at = (iso: string) => Date.parse(iso);
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function designWorld() {
  const w = world();
  const now = { value: at('2026-01-13T15:30:00Z') };
  const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    w.call(method, path, { body, headers, now: now.value });
  const create = (clientId: string, title: string, clientTimestamp = '2026-01-13T15:30:00Z') =>
    call('POST', '/v1/tasks', { title, isCompleted: false, clientId, clientTimestamp });
  return { w, now, call, create };
}

describe("the design's create", () => {
  it('stores isCompleted, echoes it beside completed, and answers ISO-8601 times without empty extensions', () => {
    const { call, now } = designWorld();
    const reply = call('POST', '/v1/tasks', { title: 'Buy groceries', isCompleted: true, clientId: 'uuid-client-generated', clientTimestamp: '2026-01-13T15:30:00Z' });
    expect(reply.status).toBe(201);
    expect(reply.json.data).toEqual({
      id: 't1',
      clientId: 'uuid-client-generated',
      title: 'Buy groceries',
      completed: true,
      isCompleted: true,
      createdAt: new Date(now.value).toISOString(),
      updatedAt: new Date(now.value).toISOString(),
      version: 1,
      // No stamp was sent: the client timestamp is the LWW stamp, as an instant.
      stamp: '2026-01-13T15:30:00.000Z',
      deleted: false,
    });
    expect(reply.json.data.createdAt).toMatch(RFC3339);
  });

  it("takes the Swift Task's own id as the clientId when no clientId is sent", () => {
    const { call } = designWorld();
    const reply = call('POST', '/v1/tasks', { id: 'E621E1F8-C36C-495A-93FC-0C247A3E6E5F', title: 'From JSONEncoder', isCompleted: false });
    expect(reply.status).toBe(201);
    expect(reply.json.data.clientId).toBe('E621E1F8-C36C-495A-93FC-0C247A3E6E5F');
  });
});

describe('client timestamps as the LWW stamp', () => {
  it('compares instants, not strings: …16:10:00.500Z beats …16:10:00Z', () => {
    const { call, create } = designWorld();
    create('c1', 'first');
    expect(call('PUT', '/v1/tasks/t1', { title: 'half a second later', isCompleted: false, clientTimestamp: '2026-01-13T16:10:00.500Z' }).json.meta).toEqual({ applied: true });
    // As strings "…00Z" > "…00.500Z"; as instants it is half a second older, and loses.
    const older = call('PUT', '/v1/tasks/t1', { title: 'older', isCompleted: false, clientTimestamp: '2026-01-13T16:10:00Z' });
    expect(older.status).toBe(200);
    expect(older.json.meta).toEqual({ applied: false, reason: 'STALE_STAMP' });
    expect(older.json.data.title).toBe('half a second later');
  });

  it('reads offsets as instants and takes updatedAt when clientTimestamp is absent', () => {
    const { call, create } = designWorld();
    create('c1', 'first');
    // 17:00+02:00 is 15:00Z, before the create's 15:30Z.
    expect(call('PUT', '/v1/tasks/t1', { title: 'earlier', updatedAt: '2026-01-13T17:00:00+02:00' }).json.meta.applied).toBe(false);
    expect(call('PUT', '/v1/tasks/t1', { title: 'later', updatedAt: '2026-01-13T15:00:00-02:00' }).json.meta.applied).toBe(true);
  });

  it('orders a write with no stamp and no timestamp by arrival, and stamps never go back', () => {
    const { call, create } = designWorld();
    create('c1', 'first', '2030-01-01T00:00:00Z'); // a client clock far ahead of the server's
    const reply = call('PUT', '/v1/tasks/t1', { title: 'no timestamp' });
    expect(reply.json.meta).toEqual({ applied: true });
    expect(reply.json.data.stamp > '2030-01-01T00:00:00.000Z').toBe(true);
  });

  it('applies the design PUT with a matching version and answers 409 VERSION_CONFLICT with serverData on a stale one', () => {
    const { call, create } = designWorld();
    create('c1', 'Buy groceries');
    const body = { title: 'Buy groceries and cook dinner', isCompleted: false, version: 1, clientTimestamp: '2026-01-13T16:00:00Z' };
    expect(call('PUT', '/v1/tasks/t1', body).json.data).toMatchObject({ version: 2, isCompleted: false });
    const conflict = call('PUT', '/v1/tasks/t1', body);
    expect(conflict.status).toBe(409);
    expect(conflict.json.error).toMatchObject({ code: 'VERSION_CONFLICT', currentVersion: 2, serverData: { id: 't1', version: 2, title: 'Buy groceries and cook dinner' } });
    expect(conflict.json.error.serverData.updatedAt).toMatch(RFC3339);
  });
});

describe("the design's delta sync", () => {
  it('serves since as an ISO-8601 timestamp from the change log: changes at or after it, deletions included', () => {
    const { call, create, now } = designWorld();
    create('c1', 'old');
    create('c2', 'doomed');
    now.value = at('2026-01-13T11:00:00Z') + 86_400_000;
    const lastSync = new Date(now.value).toISOString();
    call('PUT', '/v1/tasks/t1', { title: 'changed', clientTimestamp: lastSync });
    call('DELETE', '/v1/tasks/t2');
    now.value += 1_000;
    const delta = call('GET', `/v1/tasks?since=${encodeURIComponent(lastSync)}`).json.data;
    expect(delta.tasks.map((t: { title: string }) => t.title)).toEqual(['changed']);
    expect(delta.deletedTaskIds).toEqual(['t2']);
    expect(delta.syncMetadata).toEqual({ serverTimestamp: new Date(now.value).toISOString(), hasMore: false });
    // The design client's own parameter name, and nothing after the server's timestamp.
    expect(call('GET', `/v1/tasks?updatedSince=${delta.syncMetadata.serverTimestamp}`).json.data.tasks).toEqual([]);
  });

  it('reads an offset whose "+" arrived unencoded (a space in the query)', () => {
    const { call, create } = designWorld();
    create('c1', 'a');
    expect(call('GET', '/v1/tasks?since=2026-01-13T17:30:00+02:00').json.data.tasks).toHaveLength(1);
    expect(call('GET', '/v1/tasks?since=2026-01-13T17:30:01+02:00').json.data.tasks).toHaveLength(0);
  });

  it('points serverTimestamp at the first change left off when a page is full', () => {
    const { call, create, now } = designWorld();
    for (let i = 0; i < 3; i++) {
      now.value += 1_000;
      create(`c${i}`, `task ${i}`);
    }
    const page = call('GET', '/v1/tasks?since=2026-01-01T00:00:00Z&limit=2').json.data;
    expect(page.syncMetadata.hasMore).toBe(true);
    const rest = call('GET', `/v1/tasks?since=${page.syncMetadata.serverTimestamp}`).json.data;
    expect(rest.tasks.map((t: { title: string }) => t.title)).toEqual(['task 2']);
  });
});

describe("the design's batch", () => {
  it('takes operations with data: {...} and answers results with serverId, deltaUpdates and serverTimestamp', () => {
    const { call, create, now } = designWorld();
    create('existing', 'task_abc');
    create('doomed', 'task_xyz');
    call('PUT', '/v1/tasks/t1', { title: 'moved on', version: 1, clientTimestamp: '2026-01-13T16:00:00Z' });
    now.value += 5_000;
    const reply = call('POST', '/v1/sync/batch', {
      operations: [
        { type: 'create', clientId: 'uuid1', data: { title: 'new one', isCompleted: true, clientTimestamp: '2026-01-13T17:00:00Z' } },
        { type: 'update', id: 't1', version: 1, data: { title: 'stale', isCompleted: false } },
        { type: 'delete', id: 't2' },
      ],
      lastSyncTimestamp: '2026-01-13T10:00:00Z',
    });
    expect(reply.status).toBe(200);
    const [created, conflicted, deleted] = reply.json.results;
    expect(created).toMatchObject({ clientId: 'uuid1', success: true, serverId: 't3', data: { isCompleted: true } });
    expect(conflicted).toMatchObject({ id: 't1', success: false, error: { code: 'VERSION_CONFLICT' } });
    expect(deleted).toMatchObject({ id: 't2', success: true });
    expect(reply.json.deltaUpdates.tasks.map((t: { id: string }) => t.id)).toEqual(['t1', 't3']);
    expect(reply.json.deltaUpdates.deletedTaskIds).toEqual(['t2']);
    expect(reply.json.serverTimestamp).toBe(new Date(now.value).toISOString());
    // syncsim's own form (`delta`, full tombstones) answers only a request that names `cursor`.
    expect(reply.json).not.toHaveProperty('delta');
    expect(reply.json.deltaUpdates).not.toHaveProperty('deletedTasks');
  });

  it('answers syncsim\'s form with delta and cursor when the request names cursor', () => {
    const { call } = designWorld();
    const reply = call('POST', '/v1/sync/batch', { cursor: 0, operations: [{ type: 'create', clientId: 'c1', title: 'a', stamp: '1' }] });
    expect(reply.json).toMatchObject({ delta: { nextCursor: 1, deletedTasks: [] }, cursor: 1 });
    expect(reply.json).not.toHaveProperty('deltaUpdates');
  });
});

describe("the design's status and errors", () => {
  it('GET status has lastSyncTimestamp, pendingChanges, conflictsNeedingResolution, serverVersion; HEAD the headers', () => {
    const { call, create, now } = designWorld();
    create('c1', 'a');
    const changed = new Date(now.value).toISOString();
    create('c2', 'b');
    now.value += 60_000;
    expect(call('GET', '/v1/sync/status?since=1').json).toMatchObject({
      lastSyncTimestamp: changed,
      pendingChanges: 1,
      conflictsNeedingResolution: 0,
      serverVersion: '1',
      serverTimestamp: new Date(now.value).toISOString(),
    });
    const head = call('HEAD', '/v1/sync/status?since=1');
    expect(head.headers).toMatchObject({ 'x-has-updates': 'true', 'x-pending-count': '1', 'x-last-sync': changed });
    expect(head.json).toBeUndefined();
  });

  it('SERVICE_UNAVAILABLE carries retryAfter and estimatedDuration; QUOTA_EXCEEDED currentUsage and limit', () => {
    const { w, call, create, now } = designWorld();
    w.server.setQuota(1);
    create('c1', 'a');
    expect(create('c2', 'b').json.error).toMatchObject({ code: 'QUOTA_EXCEEDED', currentUsage: 1, limit: 1, retryable: false });
    w.server.setUnavailable(now.value + 300_000);
    const down = call('GET', '/v1/tasks');
    expect(down.status).toBe(503);
    expect(down.json.error).toEqual({
      code: 'SERVICE_UNAVAILABLE', message: expect.any(String), retryable: true, retryAfter: 300, estimatedDuration: '5 minutes',
    });
  });
});

describe('client timestamps compare as instants, whatever their form (property)', () => {
  /** One instant written the ways RFC 3339 allows: with or without fraction digits, in UTC or at an offset. */
  const forms = (ms: number, offsetMinutes: number, fraction: 0 | 3 | 6): string => {
    const local = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 19);
    const digits = String(ms % 1000).padStart(3, '0');
    const frac = fraction === 0 ? '' : fraction === 3 ? `.${digits}` : `.${digits}000`;
    const sign = offsetMinutes < 0 ? '-' : '+';
    const abs = Math.abs(offsetMinutes);
    const zone = offsetMinutes === 0 ? 'Z' : `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
    return `${local}${frac}${zone}`;
  };

  it('lets the later instant win in either arrival order', () => {
    const stamp = fc.record({
      // Whole seconds when the form has no fraction, so every form names the same instant.
      ms: fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) }),
      offset: fc.constantFrom(0, 120, -300, 330),
      fraction: fc.constantFrom(0 as const, 3 as const, 6 as const),
    }).map(({ ms, offset, fraction }) => {
      const exact = fraction === 0 ? ms - (ms % 1000) : ms;
      return { ms: exact, text: forms(exact, offset, fraction) };
    });
    fc.assert(
      fc.property(stamp, stamp, fc.boolean(), (a, b, aFirst) => {
        fc.pre(a.ms !== b.ms);
        const { call, create } = designWorld();
        create('c1', 'start', '1999-01-01T00:00:00Z');
        const [first, second] = aFirst ? [a, b] : [b, a];
        call('PUT', '/v1/tasks/t1', { title: first.text, clientTimestamp: first.text });
        call('PUT', '/v1/tasks/t1', { title: second.text, clientTimestamp: second.text });
        const winner = a.ms > b.ms ? a : b;
        return call('GET', '/v1/tasks/t1').json.data.title === winner.text;
      }),
      { numRuns: 200, seed: 14 },
    );
  });
});
