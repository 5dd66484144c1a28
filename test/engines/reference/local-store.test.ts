import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { LocalStore } from '../../../src/engines/reference/local-store.ts';
import type { QueuedOp } from '../../../src/engines/reference/model.ts';

const op = (task: string): QueuedOp => ({
  task, kind: 'create', title: task, completed: false, stamp: '1', device: 'phone', write: null, key: `k-${task}`, sent: false, attempts: 0,
});

describe('LocalStore: knowing the queue is empty without reading it', () => {
  it('is unknown in a fresh store, known after a transaction reads it empty, unknown again after a write to it', async () => {
    const store = await LocalStore.open(new IDBFactory());
    expect(store.queueKnownEmpty).toBe(false);
    await store.write(async (tx) => void (await tx.firstOps(10)));
    expect(store.queueKnownEmpty).toBe(true);
    // A transaction that neither reads nor writes the queue leaves what is known alone.
    await store.write(async (tx) => tx.setMeta('cursor', 3));
    expect(store.queueKnownEmpty).toBe(true);
    await store.write(async (tx) => tx.putOp(op('a')));
    expect(store.queueKnownEmpty).toBe(false);
    const [queued] = await store.write((tx) => tx.firstOps(10));
    expect(store.queueKnownEmpty).toBe(false);
    await store.write(async (tx) => {
      tx.deleteOp(queued!.seq);
      await tx.firstOps(10); // read after the delete, in the same transaction: empty
    });
    expect(store.queueKnownEmpty).toBe(true);
  });

  it('learns nothing from a transaction that aborts', async () => {
    const store = await LocalStore.open(new IDBFactory());
    await store.write(async (tx) => void (await tx.firstOps(10)));
    await expect(
      store.write(async (tx) => {
        tx.putOp(op('b'));
        throw new Error('the work failed');
      }),
    ).rejects.toThrow('the work failed');
    expect(store.queueKnownEmpty).toBe(true);
    expect(await store.ops()).toEqual([]);
  });
});

describe('LocalStore: reading the queue from its head', () => {
  const seqsOf = (ops: Array<{ seq: number }>) => ops.map((o) => o.seq);

  it('returns the same ops as a read from the start, after sends and deletes, across new ops', async () => {
    const store = await LocalStore.open(new IDBFactory(), IDBKeyRange);
    await store.write(async (tx) => {
      for (let i = 0; i < 10; i++) tx.putOp(op(`t${i}`));
    });
    expect(seqsOf(await store.write((tx) => tx.firstOps(3)))).toEqual([1, 2, 3]);
    // The first five are acknowledged and deleted; the head moves to 6 with the next read.
    await store.write(async (tx) => {
      for (let seq = 1; seq <= 5; seq++) tx.deleteOp(seq);
    });
    expect(seqsOf(await store.write((tx) => tx.firstOps(3)))).toEqual([6, 7, 8]);
    await store.write(async (tx) => tx.putOp(op('late')));
    expect(seqsOf(await store.write((tx) => tx.firstOps(100)))).toEqual([6, 7, 8, 9, 10, 11]);
    expect(seqsOf(await store.ops())).toEqual([6, 7, 8, 9, 10, 11]);
  });

  it('learns no head from a transaction that aborts: the ops it deleted are back and read again', async () => {
    const store = await LocalStore.open(new IDBFactory(), IDBKeyRange);
    await store.write(async (tx) => {
      for (let i = 0; i < 6; i++) tx.putOp(op(`t${i}`));
    });
    await expect(
      store.write(async (tx) => {
        for (let seq = 1; seq <= 4; seq++) tx.deleteOp(seq);
        expect(seqsOf(await tx.firstOps(2))).toEqual([5, 6]);
        throw new Error('the disk failed');
      }),
    ).rejects.toThrow('the disk failed');
    expect(seqsOf(await store.write((tx) => tx.firstOps(10)))).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('keeps an op stored again under an old seq in view, even after a read moved the head past it', async () => {
    const store = await LocalStore.open(new IDBFactory(), IDBKeyRange);
    await store.write(async (tx) => {
      for (let i = 0; i < 4; i++) tx.putOp(op(`t${i}`));
    });
    const [first] = await store.write((tx) => tx.firstOps(1));
    await store.write(async (tx) => {
      tx.deleteOp(first!.seq);
      expect(seqsOf(await tx.firstOps(1))).toEqual([2]);
      tx.putOp({ ...first!, sent: false }); // back under seq 1
    });
    expect(seqsOf(await store.write((tx) => tx.firstOps(10)))).toEqual([1, 2, 3, 4]);
  });
});
