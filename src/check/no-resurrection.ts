import type { AnyTraceEvent } from '../trace/index.ts';
import { endStates, indexTrace, isDelete, type DeviceApplyEvent, type NodeState, type OpEvent, type ServerApplyEvent, type TraceModel, type Write } from './model.ts';
import { DeviceLists, deleteBefore } from './read-lists.ts';
import { describeRow } from './values.ts';
import { Findings, seqList, writeList, type CheckOptions, type CheckResult } from './verdict.ts';

/**
 * no-resurrection: a node shows a task live again after it showed it deleted.
 * - Devices, by what the user saw: a device showed a task deleted when its own delete of
 *   it returned, or when a read no longer shows it (having shown it) after a delete of the
 *   task was made; a later read showing it live is a resurrection.
 * - Devices, by the engine's account when it gives one: in seq order over a device's `op` and `device.apply` events, a change to a
 *   delete write's value, then later a change to a live write's value, for the same task
 *   (changes whose write the trace does not know are skipped).
 * - Server: over `server.apply` with result `applied`, per server task (`id` when the
 *   harness records it, else per logical task), an applied delete followed by an applied
 *   non-delete. A create applied again after it was applied once is a duplicate, left to
 *   no-duplicates.
 * - End snapshots: a node whose rows for a task are all live although the node showed the
 *   task deleted (a device made or applied one of its deletes; the server applied one).
 *   A node the delete never reached is not judged here (that is convergence or lww), and
 *   a node holding both a tombstone and a live row for the task is a duplicate.
 * One violation per (node, task): the first evidence found.
 */
export function checkNoResurrection(events: readonly AnyTraceEvent[], options?: CheckOptions): CheckResult {
  return judgeNoResurrection(indexTrace(events), options);
}

/** Where each node first showed a task deleted: node → task → the delete write and the seq that showed it. */
type Shown = { write: string; seq: number };
type DeletedOn = Map<string, Map<string, Shown>>;

export function judgeNoResurrection(model: TraceModel, options?: CheckOptions): CheckResult {
  const findings = Findings.for(options);
  const flagged = new Set<string>();
  const deletedOn: DeletedOn = new Map();
  const onReads = readFlips(model, findings, flagged, deletedOn);
  const onDevices = deviceFlips(model, findings, flagged, deletedOn);
  const onServer = serverFlips(model, findings, flagged, deletedOn);
  const atEnd = endStateLive(model, findings, flagged, deletedOn);
  // What it judged: the tasks with a delete, on the nodes that showed one.
  let deletedTasks = 0;
  for (const history of model.tasks.values()) if (history.deletes > 0) deletedTasks++;
  let shownDeleted = 0;
  for (const tasks of deletedOn.values()) shownDeleted += tasks.size;
  return findings.verdict('no-resurrection', { deletedTasks, shownDeleted, readFlips: onReads, deviceFlips: onDevices, serverFlips: onServer, endState: atEnd });
}

/** Records that `node` showed `task` deleted by `write` at `seq` (the first time only). */
function noteDeleted(deletedOn: DeletedOn, node: string, task: string, write: string, seq: number): void {
  let tasks = deletedOn.get(node);
  if (tasks === undefined) deletedOn.set(node, (tasks = new Map()));
  if (!tasks.has(task)) tasks.set(task, { write, seq });
}

/** Per device, the tasks it showed deleted, and by which delete. */
type ShownDeleted = Map<string, Map<string, Shown>>;

function readFlips(model: TraceModel, findings: Findings, flagged: Set<string>, deletedOn: DeletedOn): number {
  const lists = new DeviceLists();
  const deletedBy: ShownDeleted = new Map();
  const showDeleted = (device: string, task: string, shown: Shown) => {
    let tasks = deletedBy.get(device);
    if (tasks === undefined) deletedBy.set(device, (tasks = new Map()));
    if (!tasks.has(task)) tasks.set(task, shown);
    noteDeleted(deletedOn, device, task, shown.write, shown.seq);
  };
  const ownDeletes: Write[] = [];
  for (const history of model.tasks.values()) {
    if (history.deletes > 0) for (const w of history.writes) if (isDelete(w) && w.okSeq !== null) ownDeletes.push(w);
  }
  ownDeletes.sort((a, b) => a.okSeq! - b.okSeq!);
  let next = 0;
  let flips = 0;
  for (const change of model.reads) {
    const { read } = change;
    for (; next < ownDeletes.length && ownDeletes[next]!.okSeq! < read.seq; next++) {
      const own = ownDeletes[next]!;
      showDeleted(own.device, own.task, { write: own.write, seq: own.okSeq! });
    }
    for (const { task, before, after } of lists.apply(change)) {
      if (before > 0 && after === 0) {
        const gone = deleteBefore(model.tasks.get(task), read.seq);
        if (gone !== undefined) showDeleted(read.device, task, { write: gone.write, seq: read.seq });
        continue;
      }
      // Only a task that went and came back: a changed row never went.
      const shown = before === 0 && after > 0 ? deletedBy.get(read.device)?.get(task) : undefined;
      if (shown === undefined) continue;
      flips++;
      deletedBy.get(read.device)!.delete(task);
      const key = `${read.device}\u0000${task}`;
      if (flagged.has(key)) continue;
      flagged.add(key);
      const row = lists.rows(read.device, task)[0]!;
      findings.report(() => ({
        task,
        writes: [shown.write],
        seqs: seqList(shown.seq, read.seq),
        message: `device ${read.device} showed task ${task} deleted (${shown.write}) and then a read showed it live again: ${describeRow(row)}`,
      }));
    }
  }
  return flips;
}

function deviceFlips(model: TraceModel, findings: Findings, flagged: Set<string>, deletedOn: DeletedOn): number {
  let flips = 0;
  const showing = new Map<string, Map<string, OpEvent | DeviceApplyEvent | null>>();
  for (const change of model.deviceChanges) {
    if (change.write === null) continue;
    const op = model.writes.get(change.write);
    if (op === undefined || model.tasks.get(op.task)!.deletes === 0) continue; // no delete to come back from
    let tasks = showing.get(change.device);
    if (tasks === undefined) showing.set(change.device, (tasks = new Map()));
    const deletedBy = tasks.get(op.task) ?? null;
    if (isDelete(op)) {
      if (deletedBy === null) tasks.set(op.task, change);
      noteDeleted(deletedOn, change.device, op.task, op.write, change.seq);
    } else if (deletedBy !== null) {
      flips++;
      tasks.set(op.task, null);
      const key = `${change.device}\u0000${op.task}`;
      if (flagged.has(key)) continue;
      flagged.add(key);
      const deleteWrite = deletedBy.write ?? '(unknown write)';
      findings.report(() => ({
        task: op.task,
        writes: [deleteWrite, op.write],
        seqs: seqList(deletedBy.seq, change.seq),
        message: `device ${change.device} showed task ${op.task} deleted (${deleteWrite}) and then live again with ${op.write} (${change.type === 'op' ? 'a local write' : `source ${change.source}`})`,
      }));
    }
  }
  return flips;
}

function serverFlips(model: TraceModel, findings: Findings, flagged: Set<string>, deletedOn: DeletedOn): number {
  let flips = 0;
  for (const history of model.tasks.values()) {
    if (history.deletes === 0 && !history.serverApplies.some((a) => a.op === 'delete')) continue;
    const deletedBy = new Map<string, ServerApplyEvent | null>();
    const createsApplied = new Set<string>();
    for (const apply of history.serverApplies) {
      if (apply.result !== 'applied') continue;
      const op = apply.write === null ? undefined : model.writes.get(apply.write);
      const kind = apply.op ?? op?.kind;
      if (kind === undefined) continue;
      const deletes = kind === 'delete' || (op !== undefined && isDelete(op));
      const key = typeof apply.id === 'string' ? apply.id : '';
      if (deletes) {
        if ((deletedBy.get(key) ?? null) === null) deletedBy.set(key, apply);
        noteDeleted(deletedOn, 'server', history.name, apply.write ?? '', apply.seq);
        continue;
      }
      const replay = kind === 'create' && apply.write !== null && createsApplied.has(apply.write);
      if (kind === 'create' && apply.write !== null) createsApplied.add(apply.write);
      const earlier = deletedBy.get(key) ?? null;
      if (earlier === null || replay) continue;
      flips++;
      deletedBy.set(key, null);
      const flag = `server\u0000${history.name}`;
      if (flagged.has(flag)) continue;
      flagged.add(flag);
      findings.report(() => ({
        task: history.name,
        writes: writeList(earlier.write, apply.write),
        seqs: seqList(earlier.seq, apply.seq, op?.seq),
        message: `the server applied delete ${earlier.write ?? '(unknown write)'} of task ${history.name} and then applied ${apply.write ?? 'an unknown write'} (${kind}), making it live again`,
      }));
    }
  }
  return flips;
}

function endStateLive(model: TraceModel, findings: Findings, flagged: Set<string>, deletedOn: DeletedOn): number {
  let live = 0;
  for (const state of endStates(model)) {
    const shown = deletedOn.get(state.node);
    if (shown === undefined) continue;
    for (const [task, evidence] of shown) {
      const rows = state.rows.get(task);
      if (rows === undefined || rows.length === 0 || rows.some((r) => r.deleted)) continue;
      live++;
      const key = `${state.node}\u0000${task}`;
      if (flagged.has(key)) continue;
      flagged.add(key);
      report(model, state, task, evidence, findings);
    }
  }
  return live;
}

function report(model: TraceModel, state: NodeState, task: string, evidence: Shown, findings: Findings): void {
  const rows = state.rows.get(task) ?? [];
  const where = state.node === 'server' ? 'the server' : `device ${state.node}`;
  findings.report(() => ({
    task,
    writes: writeList(evidence.write || undefined, ...rows.map((r) => r.write)),
    seqs: seqList(evidence.seq, state.snapshot.seq, ...rows.map((r) => (r.write === null ? undefined : model.writes.get(r.write)?.seq))),
    message: `${where} showed task ${task} deleted (${evidence.write || 'unknown write'}) but ends with it live: ${rows.map(describeRow).join(', ')}`,
  }));
}
