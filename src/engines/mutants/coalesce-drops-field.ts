import { enqueue } from '../reference/queue.ts';
import { defineMutant } from './define.ts';

export const coalesceDropsField = defineMutant(
  'coalesce-drops-field',
  "coalescing an update into a pending op keeps the pending op's `completed` instead of the update's",
  'convergence: the server (and other devices) never get the completed flag the user set',
  {
    enqueue: (ops, incoming) => {
      const next = enqueue(ops, incoming);
      const last = ops[ops.length - 1];
      const folded = incoming.kind === 'update' && last !== undefined && !last.sent && next.length === ops.length;
      if (!folded) return next;
      // DEFECT: the merge forgets the incoming `completed`.
      return [...next.slice(0, -1), { ...next[next.length - 1]!, completed: last.completed }];
    },
  },
);
