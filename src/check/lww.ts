import type { AnyTraceEvent, SnapshotRow } from '../trace/index.ts';
import { endStates, indexTrace, isDelete, lacksEndState, NO_SNAPSHOTS, refusedByServer, type NodeState, type TaskHistory, type TraceModel, type Write } from './model.ts';
import { beats, describeRow, describeWrite, rowShows, rowWrite, winnersOf } from './values.ts';
import { Findings, seqList, writeList, type CheckOptions, type CheckResult } from './verdict.ts';

/**
 * lww: for every task with writes, the values it may end with are its LWW winners (see
 * winnersOf): a delete if the task has one; else the write with the greatest stamp when
 * the engine stamped its writes (`op`), else every write that no write made later beats in
 * real time. Every end snapshot (server and devices) must show one of them:
 * - a node with rows for the task passes when one of them shows a winner (rowShows:
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
    findings.report(() => ({ seqs: seqList(model.firstWriteSeq), message: NO_SNAPSHOTS }));
    return findings.verdict('lww', { tasks: 0 });
  }
  const nodes = endStates(model);
  let judged = 0;
  for (const history of model.tasks.values()) {
    const winners = winnersOf(model, history);
    if (winners.length === 0) continue;
    judged++;
    for (const state of nodes) judgeNode(model, history, winners, state, findings);
  }
  return findings.verdict('lww', { tasks: judged, nodes: nodes.length });
}

/** Whether one of the rows shows one of the winners (one row and one winner, by far the most common, costs one test). */
function shows(model: TraceModel, rows: SnapshotRow[], winners: Write[]): boolean {
  for (const row of rows) for (const winner of winners) if (rowShows(model.writes, row, winner)) return true;
  return false;
}

function judgeNode(model: TraceModel, history: TaskHistory, winners: Write[], state: NodeState, findings: Findings): void {
  const rows = state.rows.get(history.name);
  const winner = winners[winners.length - 1]!;
  // Only for messages: built when a violation is reported, not for every task and node.
  const where = () => (state.node === 'server' ? 'the server' : `device ${state.node}`);
  const must = () => (winners.length === 1 ? describeWrite(winner) : `one of ${winners.map(describeWrite).join(', ')}`);
  if (rows === undefined || rows.length === 0) {
    if (isDelete(winner) || state.node !== 'server' || refusedByServer(model, history)) return;
    findings.report(() => ({
      task: history.name,
      writes: winners.map((w) => w.write),
      seqs: seqList(...winners.map((w) => w.seq), state.snapshot.seq),
      message: `task ${history.name} is missing on ${where()}; it must hold ${must()}`,
    }));
    return;
  }
  if (shows(model, rows, winners)) return;
  const row = rows[0]!;
  const held = rowWrite(model, history, row);
  findings.report(() => {
    const heldText = `${describeRow(row)} (${held === undefined ? `write ${row.write ?? 'unknown'}` : describeWrite(held)})`;
    const message = isDelete(winner) && !row.deleted
      ? `task ${history.name} has a delete, ${describeWrite(winner)}, but ${where()} shows it live: ${heldText}`
      : held !== undefined && beats(model, winner, held)
        ? `${where()} holds ${heldText} for task ${history.name}, but ${describeWrite(winner)} ${winner.stamp !== null && held.stamp !== null ? 'has the greater stamp' : 'was made later'}`
        : `${where()} holds ${heldText} for task ${history.name}, but it must hold ${must()}`;
    return {
      task: history.name,
      writes: writeList(...winners.map((w) => w.write), held?.write ?? row.write),
      seqs: seqList(...winners.map((w) => w.seq), held?.seq, state.snapshot.seq),
      message,
    };
  });
}
