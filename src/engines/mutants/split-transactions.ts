import { defineMutant } from './define.ts';

/** How long after the write its op is queued: the debounce of the sync it triggers. */
const QUEUE_DELAY_MS = 300;

export const splitTransactions = defineMutant(
  'split-transactions',
  'a write commits its row, returns, and queues its op in a second transaction (with the debounced sync)',
  'durability: a crash between the two transactions loses the queued op of a write the user saw succeed',
  // DEFECT: the op is not in the row's transaction; a crash before the timer loses it.
  { deferQueue: (enqueue, ports) => void ports.timers.setTimeout(() => void enqueue().catch(() => undefined), QUEUE_DELAY_MS) },
);
