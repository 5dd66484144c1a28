import { defineMutant } from './define.ts';

export const writeFailureIgnored = defineMutant(
  'write-failure-ignored',
  'a local transaction that fails is reported to the user as done (fire-and-forget write)',
  'durability: a write the user saw succeed exists nowhere',
  // DEFECT: the failed transaction's write is reported (traced) as committed.
  { ignoreWriteFailure: true },
);
