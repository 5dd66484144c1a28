import { IDBFactory } from 'fake-indexeddb';
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
