import { describe, expect, it } from 'vitest';
import { world } from './client.ts';

describe('delta pull', () => {
  it('pages through many changes made in the same millisecond, none skipped or repeated', () => {
    const w = world();
    for (let i = 1; i <= 25; i++) w.create(`c${i}`, `task ${i}`);
    // Changes to earlier tasks move them to the end of the change order.
    w.call('PUT', '/v1/tasks/t3', { body: { title: 'three again', stamp: '0002' } });
    w.call('DELETE', '/v1/tasks/t5');
    const seen: string[] = [];
    const deleted: string[] = [];
    let since = 0;
    const pages: Array<{ next: number; more: boolean }> = [];
    for (;;) {
      const reply = w.call('GET', `/v1/tasks?since=${since}&limit=10`);
      expect(reply.status).toBe(200);
      const page = reply.json.data;
      seen.push(...page.tasks.map((t: { id: string }) => t.id));
      deleted.push(...page.deletedTaskIds);
      pages.push({ next: page.nextCursor, more: page.hasMore });
      since = page.nextCursor;
      if (!page.hasMore) break;
    }
    expect(pages).toEqual([
      { next: 12, more: true }, // seqs 3 and 5 are stale: t3 and t5 changed again later
      { next: 22, more: true },
      { next: 27, more: false },
    ]);
    const expected = Array.from({ length: 25 }, (_, i) => `t${i + 1}`).filter((id) => id !== 't3' && id !== 't5');
    expect(seen).toEqual([...expected, 't3']);
    expect(deleted).toEqual(['t5']);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('answers only changes after the cursor, with an empty page keeping the cursor', () => {
    const w = world();
    w.create('c1', 'a');
    w.create('c2', 'b');
    const cursor = w.call('GET', '/v1/tasks?since=0').json.data.nextCursor;
    expect(cursor).toBe(2);
    expect(w.call('GET', `/v1/tasks?since=${cursor}`).json.data).toEqual({
      tasks: [], deletedTaskIds: [], deletedTasks: [], nextCursor: 2, hasMore: false,
      syncMetadata: { serverTimestamp: new Date(w.now).toISOString(), hasMore: false },
    });
    w.call('PUT', '/v1/tasks/t1', { body: { completed: true, stamp: '0002' } });
    const delta = w.call('GET', `/v1/tasks?since=${cursor}`).json.data;
    expect(delta.tasks.map((t: { id: string; completed: boolean }) => [t.id, t.completed])).toEqual([['t1', true]]);
    expect(delta.nextCursor).toBe(3);
  });

  it('without since, a full pull lists live tasks and names the tombstones', () => {
    const w = world();
    for (let i = 1; i <= 4; i++) w.create(`c${i}`, `task ${i}`);
    w.call('DELETE', '/v1/tasks/t2');
    const full = w.call('GET', '/v1/tasks').json.data;
    expect(full.tasks.map((t: { id: string }) => t.id)).toEqual(['t1', 't3', 't4']);
    expect(full.deletedTaskIds).toEqual(['t2']);
    // The tombstones in full too, with the stamp and write that deleted them.
    expect(full.deletedTasks).toMatchObject([{ id: 't2', deleted: true }]);
    expect(full).toMatchObject({ nextCursor: 5, hasMore: false });
    const limited = w.call('GET', '/v1/tasks?limit=2').json.data;
    // Seq 2 (t2's create) is stale, so two entries reach seq 3.
    expect(limited).toMatchObject({ nextCursor: 3, hasMore: true });
  });

  it('rejects bad since and limit values with 400 naming the parameter', () => {
    const w = world();
    for (const query of ['since=-1', 'since=abc', 'since=1.5', 'since=', 'limit=0', 'limit=1001', 'limit=x', 'since=99999999999999999999']) {
      const reply = w.call('GET', `/v1/tasks?${query}`);
      expect(reply.status, query).toBe(400);
      expect(reply.json.error.message).toContain(query.split('=')[0]);
    }
    expect(w.call('GET', '/v1/tasks?limit=1000&since=0').status).toBe(200);
  });
});
