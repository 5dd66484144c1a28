import type { AnyTraceEvent } from '../trace/index.ts';
import { endStates, indexTrace, isDelete, lacksEndState, NO_SNAPSHOTS, type NodeState, type TaskHistory, type TraceModel } from './model.ts';
import { compareRank, describeRow, describeWrite, rowShows, rowWrite, winnerOf } from './values.ts';
import { Findings, seqList, writeList, type CheckOptions, type CheckResult } from './verdict.ts';

/**
 * lww: for every task with writes, the expected final value is its greatest write in
 * LWW order (see compareRank): a delete if the task has one, else the write with the
 * greatest (stamp, device). Every end snapshot (server and devices) must show it:
 * - a node with rows for the task passes when one of them shows the value (rowShows:
 *   same title and completed, and the same write id when the row names one); several rows
 *   are no-duplicates' business, not this checker's;
 * - a node without rows passes when the task must be deleted; otherwise the server fails
 *   ("missing"), while a device without the row is left to convergence.
 */
export function checkLww(events: readonly AnyTraceEvent[], options?: CheckOptions): CheckResult {
  return judgeLww(indexTrace(events), options);
}

export function judgeLww(model: TraceModel, options?: CheckOptions): CheckResult {
  const findings = Findings.for(options);
  if (lacksEndState(model)) {
    findings.report(() => ({ seqs: seqList(model.firstOpSeq), message: NO_SNAPSHOTS }));
    return findings.verdict('lww', { tasks: 0 });
  }
  const nodes = endStates(model);
  let judged = 0;
  for (const history of model.tasks.values()) {
    const winner = winnerOf(history);
    if (winner === undefined) continue;
    judged++;
    for (const state of nodes) judgeNode(model, history, winner, state, findings);
  }
  return findings.verdict('lww', { tasks: judged, nodes: nodes.length });
}

function judgeNode(model: TraceModel, history: TaskHistory, winner: TaskHistory['ops'][number], state: NodeState, findings: Findings): void {
  const rows = state.rows.get(history.name);
  const where = state.node === 'server' ? 'the server' : `device ${state.node}`;
  if (rows === undefined || rows.length === 0) {
    if (isDelete(winner) || state.node !== 'server') return;
    findings.report(() => ({
      task: history.name,
      writes: [winner.write],
      seqs: seqList(winner.seq, state.snapshot.seq),
      message: `task ${history.name} is missing on ${where}; it must hold ${describeWrite(winner)}`,
    }));
    return;
  }
  if (rows.some((row) => rowShows(model.writes, row, winner))) return;
  const row = rows[0]!;
  const held = rowWrite(model, history, row);
  findings.report(() => {
    const heldText = `${describeRow(row)} (${held === undefined ? `write ${row.write ?? 'unknown'}` : describeWrite(held)})`;
    const message = isDelete(winner) && !row.deleted
      ? `task ${history.name} has a delete, ${describeWrite(winner)}, but ${where} shows it live: ${heldText}`
      : held !== undefined && compareRank(held, winner) < 0
        ? `${where} holds ${heldText} for task ${history.name}, but ${describeWrite(winner)} has the greater stamp`
        : `${where} holds ${heldText} for task ${history.name}, but it must hold ${describeWrite(winner)}`;
    return {
      task: history.name,
      writes: writeList(winner.write, held?.write ?? row.write),
      seqs: seqList(winner.seq, held?.seq, state.snapshot.seq),
      message,
    };
  });
}
