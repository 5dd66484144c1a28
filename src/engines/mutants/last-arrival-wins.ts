import { defineMutant } from './define.ts';

/**
 * The LWW stamp is taken when an op is first sent, not when the user wrote: the server's
 * stamp comparison then orders writes by arrival, so an old offline edit beats a newer one.
 */
export const lastArrivalWins = defineMutant(
  'last-arrival-wins',
  'an op is re-stamped when it is first sent (send time, not write time): the last device to sync wins, not the last write',
  'lww: an older offline edit, synced last, overwrites a newer edit',
  {
    claim: (sent, { clock }) => {
      if (sent.op.attempts !== 1) return sent; // a retry repeats its first body
      const stamp = clock.next(); // DEFECT: stamped at send time
      return { op: { ...sent.op, stamp }, body: { ...sent.body, stamp } };
    },
  },
);
