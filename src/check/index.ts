import type { AnyTraceEvent } from '../trace/index.ts';
import { checkCausal, judgeCausal } from './causal.ts';
import { checkConvergence, judgeConvergence } from './convergence.ts';
import { checkDurability, judgeDurability } from './durability.ts';
import { checkLww, judgeLww } from './lww.ts';
import { indexTrace, type TraceModel } from './model.ts';
import { checkNoDuplicates, judgeNoDuplicates } from './no-duplicates.ts';
import { checkNoResurrection, judgeNoResurrection } from './no-resurrection.ts';
import { checkSyncLatency, judgeSyncLatency } from './sync-latency.ts';
import { checkReadYourWrites, judgeReadYourWrites } from './read-your-writes.ts';
import { checkMonotonicReads, judgeMonotonicReads } from './monotonic-reads.ts';
import { checkNothingJudged, judgeNothingJudged } from './nothing-judged.ts';
import type { CheckerName, CheckOptions, CheckResult } from './verdict.ts';

export type { CheckerName, CheckOptions, CheckResult, Violation } from './verdict.ts';
export { DEFAULT_MAX_VIOLATIONS } from './verdict.ts';
export { DEFAULT_OBJECTIVE_MS } from './sync-latency.ts';
export { indexTrace, type TraceModel } from './model.ts';
export { judgingScope, SERVER_ONLY_CHECKERS, type NotJudged } from './server-only.ts';
export { judgeRun, quiescenceCheck, ENGINE_ERROR, QUIESCENCE, type ExpectationFailure, type JudgeOptions, type RecordedCheck, type RunVerdict } from './run-verdict.ts';
export {
  checkCausal, checkConvergence, checkDurability, checkLww, checkMonotonicReads, checkNoDuplicates, checkNoResurrection,
  checkNothingJudged, checkReadYourWrites, checkSyncLatency,
};

export type Checker = (events: readonly AnyTraceEvent[], options?: CheckOptions) => CheckResult;

/** The checkers by name, in the order reports list them (SPEC §6); object key order is that order. */
export const checkers: Readonly<Record<CheckerName, Checker>> = {
  'no-duplicates': checkNoDuplicates,
  convergence: checkConvergence,
  lww: checkLww,
  causal: checkCausal,
  'no-resurrection': checkNoResurrection,
  durability: checkDurability,
  'sync-latency': checkSyncLatency,
  'read-your-writes': checkReadYourWrites,
  'monotonic-reads': checkMonotonicReads,
  'nothing-judged': checkNothingJudged,
};

export const checkerNames = Object.keys(checkers) as readonly CheckerName[];

const judges: Record<CheckerName, (model: TraceModel, options?: CheckOptions) => CheckResult> = {
  'no-duplicates': judgeNoDuplicates,
  convergence: judgeConvergence,
  lww: judgeLww,
  causal: judgeCausal,
  'no-resurrection': judgeNoResurrection,
  durability: judgeDurability,
  'sync-latency': judgeSyncLatency,
  'read-your-writes': judgeReadYourWrites,
  'monotonic-reads': judgeMonotonicReads,
  'nothing-judged': judgeNothingJudged,
};

export function isCheckerName(name: string): name is CheckerName {
  return Object.hasOwn(checkers, name);
}

/** Runs every checker (or those named in `only`, in registry order) over one indexing of the trace. */
export function runCheckers(events: readonly AnyTraceEvent[], options?: CheckOptions & { only?: readonly CheckerName[] }): CheckResult[] {
  const model = indexTrace(events);
  const only = options?.only;
  return checkerNames.filter((name) => only === undefined || only.includes(name)).map((name) => judges[name](model, options));
}
