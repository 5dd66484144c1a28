import type { AnyTraceEvent } from '../trace/index.ts';
import { indexTrace, type TraceModel } from './model.ts';
import { Findings, seqList, type CheckOptions, type CheckResult } from './verdict.ts';

/**
 * nothing-judged: users made writes that returned, but the trace shows no node's state at
 * all — no end-of-run snapshot and no read — so no checker could hold the engine to any of
 * them. A harness run always reads and snapshots; such a trace comes from an engine whose
 * list could never be read (or from a tool that recorded only what users did), and passing
 * it would be passing an engine on no evidence.
 */
export function checkNothingJudged(events: readonly AnyTraceEvent[], options?: CheckOptions): CheckResult {
  return judgeNothingJudged(indexTrace(events), options);
}

export function judgeNothingJudged(model: TraceModel, options?: CheckOptions): CheckResult {
  const findings = Findings.for(options);
  const seen = model.reads.length + model.deviceStates.length + (model.server === null ? 0 : 1);
  if (model.returnedCount > 0 && seen === 0) {
    findings.report(() => ({
      seqs: seqList(model.firstWriteSeq),
      message: `users made ${model.returnedCount} writes that returned, but the trace has no read and no snapshot: nothing shows what became of them`,
    }));
  }
  return findings.verdict('nothing-judged', { writes: model.returnedCount, reads: model.reads.length, snapshots: model.deviceStates.length + (model.server === null ? 0 : 1) });
}
