import { defineMutant } from './define.ts';

/** Emulates a queue kept in memory: a new incarnation of the app starts with an empty one. */
export const memoryQueue = defineMutant(
  'memory-queue',
  'the sync queue does not survive the process: after a crash or kill the pending ops are gone',
  'durability: a write committed locally before a crash never reaches the server',
  {
    onOpen: async (store) => {
      // DEFECT: what a memory-only queue leaves after a restart: nothing.
      await store.write(async (tx) => {
        for (const op of await tx.firstOps(1_000_000)) tx.deleteOp(op.seq);
      });
    },
  },
);
