import type { EngineDescriptor } from '../engine.ts';
import { clockNotPersisted } from './clock-not-persisted.ts';
import { coalesceDropsField } from './coalesce-drops-field.ts';
import { cursorByTimestamp } from './cursor-by-timestamp.ts';
import { deleteNotFinal } from './delete-not-final.ts';
import { keyPerAttempt } from './key-per-attempt.ts';
import { lastArrivalWins } from './last-arrival-wins.ts';
import { saveSkipsRefresh } from './save-skips-refresh.ts';
import { memoryQueue } from './memory-queue.ts';
import { noPeriodicPull } from './no-periodic-pull.ts';
import { noRetryAfter503 } from './no-retry-after-503.ts';
import { pullWithoutLww } from './pull-without-lww.ts';
import { splitTransactions } from './split-transactions.ts';
import { staleReadReplica } from './stale-read-replica.ts';
import { timeoutDropsOp } from './timeout-drops-op.ts';
import { tombstoneIgnored } from './tombstone-ignored.ts';
import { wallClockStamps } from './wall-clock-stamps.ts';
import { writeFailureIgnored } from './write-failure-ignored.ts';

/** Every mutant: `reference` with one deliberate defect each (`syncsim engines` lists them). */
export const mutantEngines: readonly EngineDescriptor[] = [
  keyPerAttempt,
  wallClockStamps,
  clockNotPersisted,
  lastArrivalWins,
  cursorByTimestamp,
  tombstoneIgnored,
  memoryQueue,
  splitTransactions,
  writeFailureIgnored,
  timeoutDropsOp,
  noRetryAfter503,
  noPeriodicPull,
  coalesceDropsField,
  pullWithoutLww,
  deleteNotFinal,
  saveSkipsRefresh,
  staleReadReplica,
];
