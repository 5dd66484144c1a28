import { defineMutant } from './define.ts';

/**
 * Every attempt is a new request: a retry carries a fresh idempotency key and, for a create,
 * a fresh clientId (the server's two ways of recognising a repeat). After a lost reply the
 * retry creates the task a second time.
 */
export const keyPerAttempt = defineMutant(
  'key-per-attempt',
  'a retry gets a new idempotency key (and a create a new clientId) instead of the ones stored with the op',
  'no-duplicates: a create whose reply was lost is applied twice',
  {
    claim: (sent, { newKey }) => {
      if (sent.op.attempts <= 1) return sent; // the first attempt is correct
      const body = { ...sent.body, idempotencyKey: newKey() }; // DEFECT: key per attempt
      if (body.type === 'create') body.clientId = newKey(); // DEFECT: and a new identity
      return { ...sent, body };
    },
  },
);
