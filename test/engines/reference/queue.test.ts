import { describe, expect, it } from 'vitest';
import type { OpKind, QueuedOp } from '../../../src/engines/reference/model.ts';
import { coalesce, enqueue } from '../../../src/engines/reference/queue.ts';

let n = 0;
function op(kind: OpKind, title = `v${++n}`, extra: Partial<QueuedOp> = {}): QueuedOp {
  return { task: 'a', kind, title, completed: false, stamp: `s${n}`, device: 'phone', write: `phone#${n}`, key: `k${n}`, sent: false, attempts: 0, ...extra };
}

describe('queue coalescing', () => {
  it('folds updates into a pending create, keeping its key and place', () => {
    const create = op('create', 'a', { seq: 1 });
    const [only, ...rest] = coalesce([create, op('update', 'b'), op('update', 'c')]);
    expect(rest).toEqual([]);
    expect(only).toMatchObject({ kind: 'create', title: 'c', key: create.key, seq: 1 });
  });

  it('merges updates, the last value winning', () => {
    const first = op('update', 'a', { seq: 4 });
    expect(coalesce([first, op('update', 'b')])).toMatchObject([{ kind: 'update', title: 'b', key: first.key, seq: 4 }]);
  });

  it('drops a create and its delete when the create never left the device', () => {
    expect(coalesce([op('create'), op('update'), op('delete')])).toEqual([]);
  });

  it('keeps a create that may have reached the server, and queues the delete behind it', () => {
    const sent = op('create', 'a', { seq: 1, sent: true, attempts: 1 });
    const result = enqueue([sent], op('delete'));
    expect(result.map((o) => o.kind)).toEqual(['create', 'delete']);
    expect(result[0]).toBe(sent);
  });

  it('never changes an op that was sent: a later update queues behind it', () => {
    const sent = op('update', 'a', { seq: 2, sent: true, attempts: 1 });
    const result = enqueue([sent], op('update', 'b'));
    expect(result).toHaveLength(2);
    expect(result[0]).toBe(sent);
    expect(result[1]).toMatchObject({ title: 'b', sent: false });
  });

  it('turns a pending update into a delete', () => {
    const result = coalesce([op('update', 'a', { seq: 3 }), op('delete')]);
    expect(result).toMatchObject([{ kind: 'delete', seq: 3 }]);
  });

  it('folds into the unsent tail behind a sent create', () => {
    const sent = op('create', 'a', { seq: 1, sent: true });
    const result = [op('update', 'b', { seq: 2 }), op('update', 'c'), op('delete')].reduce((ops, o) => enqueue(ops, o), [sent]);
    expect(result.map((o) => [o.kind, o.seq])).toEqual([['create', 1], ['delete', 2]]);
  });
});
