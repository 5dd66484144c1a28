import type { AnyTraceEvent, SnapshotRow } from '../trace/index.ts';
import { indexTrace, isDelete, lacksEndState, neverOnServer, NO_SNAPSHOTS, taskOfRow, type NodeState, type TaskHistory, type TraceModel, type Write } from './model.ts';
import { Ancestry, describeRow, describeWrite, mayReplace, rowShows, rowWrite } from './values.ts';
import { Findings, seqList, writeList, type CheckOptions, type CheckResult } from './verdict.ts';

/**
 * durability: every write that returned to the user (`ok`) survives in the end state,
 * or something that rightly replaced it does. For each such write W and each end node:
 * - a node with rows for W's task keeps W when one of its rows shows W (rowShows), or
 *   holds a write X that may replace W (X supersedes W — LWW order, or W is in X's basis
 *   chain — or, without stamps, X is concurrent with W; see mayReplace), or is a tombstone
 *   whose write is unknown while the task has a delete.
 *   A live row with a value no write made is not judged here (lww reports it);
 * - the server without rows for the task keeps W only if it applied one of the task's
 *   deletes (a server that purges tombstones); otherwise the task vanished. A device
 *   without rows is left to convergence;
 * - the server is not judged for a create it refused (`rejected`, never applied: the
 *   quota), since the user was told, nor for any write of a task it never had (refused,
 *   or created and deleted before it ever synced);
 *   the device rows still are.
 * Nodes judged: the server and every device snapshot. A crash or termination of W's device
 * after W is cited in the violation: "crashes included" means they excuse nothing.
 * The converse too: a write whose local transaction failed (`fail`) must leave nothing
 * behind, so an end row showing its value, which no other write of the task made, fails.
 */
export function checkDurability(events: readonly AnyTraceEvent[], options?: CheckOptions): CheckResult {
  return judgeDurability(indexTrace(events), options);
}

export function judgeDurability(model: TraceModel, options?: CheckOptions): CheckResult {
  const findings = Findings.for(options);
  if (lacksEndState(model)) {
    findings.report(() => ({ seqs: seqList(model.firstWriteSeq), message: NO_SNAPSHOTS }));
    return findings.verdict('durability', { writes: 0 });
  }
  const ancestry = new Ancestry(model.writes);
  const held = new HeldWrites(model);
  let judged = 0;
  let refused = 0;
  for (const history of model.tasks.values()) {
    const deleteApplied = history.writes.some((op) => isDelete(op) && model.firstServerApply.has(op.write));
    const unknownToServer = neverOnServer(model, history);
    for (const write of history.writes) {
      if (write.okSeq === null) continue; // never returned: nothing was promised
      judged++;
      const lost: Loss[] = [];
      if (model.server !== null) {
        if (unknownToServer || refusedByServer(model, write)) refused++;
        else {
          const loss = judgeNode(held, ancestry, history, write, model.server, deleteApplied);
          if (loss !== null) lost.push(loss);
        }
      }
      for (const state of model.deviceStates) {
        const loss = judgeNode(held, ancestry, history, write, state, true);
        if (loss !== null) lost.push(loss);
      }
      if (lost.length > 0) report(model, history, write, lost, findings);
    }
  }
  const phantoms = failedWritesShown(model, findings);
  return findings.verdict('durability', { writes: judged, refused, failed: model.failed.size, phantoms });
}

/** End rows showing the value of a write that failed, a value no other write of the task made. */
function failedWritesShown(model: TraceModel, findings: Findings): number {
  if (model.failed.size === 0) return 0;
  let shown = 0;
  for (const invoke of model.failed.values()) {
    if (invoke.kind === 'delete') continue; // a missing row is judged above, as a loss
    const history = model.tasks.get(invoke.task);
    if (history?.writes.some((w) => !isDelete(w) && w.value.title === invoke.value.title && w.value.completed === invoke.value.completed)) continue;
    for (const state of [...(model.server ? [model.server] : []), ...model.deviceStates]) {
      const row = state.snapshot.tasks.find((r) => !r.deleted && r.title === invoke.value.title && r.completed === invoke.value.completed && taskOfRow(model, r) === invoke.task);
      if (row === undefined) continue;
      shown++;
      findings.report(() => ({
        task: invoke.task,
        writes: [invoke.write],
        seqs: seqList(invoke.seq, state.snapshot.seq),
        message: `write ${invoke.write} of task ${invoke.task} failed (its local transaction was refused), yet ${state.node === 'server' ? 'the server' : `device ${state.node}`} holds its value ${describeRow(row)}`,
      }));
      break;
    }
  }
  return shown;
}

/** Where a write vanished, and what the node holds instead (nothing, when the task is missing). */
interface Loss {
  state: NodeState;
  row: SnapshotRow | null;
  held: Write | undefined;
}

function refusedByServer(model: TraceModel, write: Write): boolean {
  return write.kind === 'create' && model.rejected.has(write.write) && !model.firstServerApply.has(write.write);
}

/** rowWrite, remembered per row: a row without a write id is found by value, which scans the task. */
class HeldWrites {
  private readonly cache = new Map<SnapshotRow, Write | undefined>();

  constructor(readonly model: TraceModel) {}

  of(history: TaskHistory, row: SnapshotRow): Write | undefined {
    if (this.cache.has(row)) return this.cache.get(row);
    const held = rowWrite(this.model, history, row);
    this.cache.set(row, held);
    return held;
  }
}

function judgeNode(heldWrites: HeldWrites, ancestry: Ancestry, history: TaskHistory, write: Write, state: NodeState, absenceIsDelete: boolean): Loss | null {
  const rows = state.rows.get(history.name);
  if (rows === undefined || rows.length === 0) {
    if (state.node !== 'server' || absenceIsDelete) return null;
    return { state, row: null, held: undefined };
  }
  for (const row of rows) if (keeps(heldWrites, ancestry, history, write, row)) return null;
  const row = rows[0]!;
  return { state, row, held: heldWrites.of(history, row) };
}

function keeps(heldWrites: HeldWrites, ancestry: Ancestry, history: TaskHistory, write: Write, row: SnapshotRow): boolean {
  if (rowShows(heldWrites.model.writes, row, write)) return true;
  const held = heldWrites.of(history, row);
  if (held === undefined) return row.deleted ? history.deletes > 0 : true;
  return mayReplace(heldWrites.model, ancestry, held, write);
}

function report(model: TraceModel, history: TaskHistory, write: Write, lost: Loss[], findings: Findings): void {
  findings.report(() => {
    const crash = model.faults.find((f) => f.seq > write.seq && f.detail.device === write.device
      && (f.kind === 'crash' || (f.kind === 'app' && f.detail.state === 'terminate')));
    const places = lost.map(({ state, row, held }) => {
      const where = state.node === 'server' ? 'the server' : `device ${state.node}`;
      if (row === null) return `task ${history.name} is missing on ${where}`;
      return `${where} holds ${describeRow(row)} (${held === undefined ? `write ${row.write ?? 'unknown'}` : describeWrite(held)})`;
    });
    const crashed = crash === undefined ? '' : `; ${write.device} crashed at seq ${crash.seq} after the write`;
    return {
      task: history.name,
      writes: writeList(write.write, ...lost.map((l) => l.held?.write ?? l.row?.write)),
      seqs: seqList(write.seq, crash?.seq, ...lost.map((l) => l.held?.seq), ...lost.map((l) => l.state.snapshot.seq)),
      message: `write ${describeWrite(write)} of task ${history.name} vanished: ${places.join('; ')}${crashed}`,
    };
  });
}
