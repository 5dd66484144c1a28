import type { AnyTraceEvent, SnapshotRow } from '../trace/index.ts';
import { indexTrace, lacksEndState, NO_SNAPSHOTS, type NodeState, type ServerApplyEvent, type TraceModel } from './model.ts';
import { DeviceLists } from './read-lists.ts';
import { Findings, seqList, writeList, type CheckOptions, type CheckResult } from './verdict.ts';

/**
 * no-duplicates fails when
 * - the server's snapshot has two live rows for one logical task;
 * - a device's snapshot has two rows (live or not) for one logical task;
 * - a read shows the user two live rows for one task;
 * - the server creates more tasks for a logical task than it has create writes (two
 *   `server.apply` of op create with result applied and different ids: a create
 *   retried without its idempotency key, whatever the engine labels);
 * - one create is applied as more than one server task: two `server.apply` with result
 *   `applied` for the same write when it is a create (the event's `op` is `create`, or,
 *   without `op`, the write's `op` event is a create), or the same create write mapped to
 *   two server ids (`server.apply.id`, when the harness records it).
 * A row's logical task is its `task`, or the task of its write when `task` is an id the
 * harness could not name (see taskOfRow).
 */
export function checkNoDuplicates(events: readonly AnyTraceEvent[], options?: CheckOptions): CheckResult {
  return judgeNoDuplicates(indexTrace(events), options);
}

export function judgeNoDuplicates(model: TraceModel, options?: CheckOptions): CheckResult {
  const findings = Findings.for(options);
  if (lacksEndState(model)) {
    findings.report(() => ({ seqs: seqList(model.firstWriteSeq), message: NO_SNAPSHOTS }));
  }
  if (model.server !== null) duplicateRows(model, model.server, findings);
  for (const state of model.deviceStates) duplicateRows(model, state, findings);
  const shownTwice = duplicateReads(model, findings);
  const extraTasks = extraServerTasks(model, findings);
  const creates = repeatedCreates(model, findings);
  return findings.verdict('no-duplicates', {
    createsApplied: creates, snapshots: model.deviceStates.length + (model.server ? 1 : 0), reads: model.reads.length, shownTwice, extraServerTasks: extraTasks,
  });
}

function duplicateRows(model: TraceModel, state: NodeState, findings: Findings): void {
  const onServer = state.node === 'server';
  for (const [task, rows] of state.rows) {
    const counted = onServer ? rows.filter((r) => !r.deleted) : rows;
    if (counted.length < 2) continue;
    findings.report(() => ({
      task,
      writes: writeList(...counted.map((r) => r.write)),
      seqs: seqList(state.snapshot.seq, ...counted.map((r) => opSeq(model, r))),
      message: onServer
        ? `task ${task} has ${counted.length} live rows on the server (ids ${ids(counted)})`
        : `device ${state.node} has ${counted.length} rows for task ${task} (ids ${ids(counted)})`,
    }));
  }
}

const ids = (rows: Array<{ id: string }>) => rows.map((r) => r.id).join(', ');

/** Reads in which a device's list shows one task twice: the first per (device, task). */
function duplicateReads(model: TraceModel, findings: Findings): number {
  const lists = new DeviceLists();
  const flagged = new Set<string>();
  let found = 0;
  for (const change of model.reads) {
    const device = change.read.device;
    for (const { task, after } of lists.apply(change)) {
      if (after < 2 || flagged.has(`${device}\u0000${task}`)) continue;
      flagged.add(`${device}\u0000${task}`);
      found++;
      const shown = lists.rows(device, task).map((r) => r.id);
      findings.report(() => ({ task, seqs: [change.read.seq], message: `a read on device ${device} shows task ${task} twice (ids ${shown.join(', ')})` }));
    }
  }
  return found;
}

/** Logical tasks the server created more often than their create writes: duplicates, told by the server's ids. */
function extraServerTasks(model: TraceModel, findings: Findings): number {
  let extra = 0;
  for (const history of model.tasks.values()) {
    const created = new Map<string, ServerApplyEvent>();
    for (const apply of history.serverApplies) {
      if (apply.op === 'create' && apply.result === 'applied' && typeof apply.id === 'string' && apply.id !== '' && !created.has(apply.id)) created.set(apply.id, apply);
    }
    const creates = history.writes.filter((w) => w.kind === 'create').length;
    if (created.size <= Math.max(1, creates)) continue;
    extra++;
    const applies = [...created.values()];
    // The same create applied twice is reported below, by its write id, when the trace knows it.
    if (applies.every((a) => a.write !== null && a.write === applies[0]!.write)) continue;
    findings.report(() => ({
      task: history.name,
      writes: writeList(...applies.map((a) => a.write)),
      seqs: seqList(...applies.map((a) => a.seq)),
      message: `the server created ${created.size} tasks for task ${history.name} (ids ${[...created.keys()].join(', ')}), which was created once`,
    }));
  }
  return extra;
}
const opSeq = (model: TraceModel, row: SnapshotRow) => (row.write === null ? undefined : model.writes.get(row.write)?.seq);

interface CreateApplication {
  applied: ServerApplyEvent[];
  ids: Map<string, ServerApplyEvent>;
}

/** Returns how many create writes the server applied. */
function repeatedCreates(model: TraceModel, findings: Findings): number {
  const byWrite = new Map<string, CreateApplication>();
  for (const history of model.tasks.values()) {
    for (const apply of history.serverApplies) {
      if (apply.write === null || !isCreate(model, apply)) continue;
      let entry = byWrite.get(apply.write);
      if (entry === undefined) byWrite.set(apply.write, (entry = { applied: [], ids: new Map() }));
      if (apply.result === 'applied') entry.applied.push(apply);
      if ((apply.result === 'applied' || apply.result === 'duplicate') && typeof apply.id === 'string' && apply.id !== '' && !entry.ids.has(apply.id)) {
        entry.ids.set(apply.id, apply);
      }
    }
  }
  let applied = 0;
  for (const [write, entry] of byWrite) {
    if (entry.applied.length > 0) applied++;
    if (entry.applied.length < 2 && entry.ids.size < 2) continue;
    const op = model.writes.get(write);
    const task = op?.task ?? entry.applied[0]?.task ?? [...entry.ids.values()][0]!.task;
    const shown = entry.applied.length >= 2 ? entry.applied : [...entry.ids.values()];
    findings.report(() => ({
      task,
      writes: [write],
      seqs: seqList(op?.seq, ...shown.map((a) => a.seq)),
      message: entry.applied.length >= 2
        ? `create ${write} of task ${task} was applied ${entry.applied.length} times by the server`
        : `create ${write} of task ${task} maps to ${entry.ids.size} server tasks (${[...entry.ids.keys()].join(', ')})`,
    }));
  }
  return applied;
}

function isCreate(model: TraceModel, apply: ServerApplyEvent): boolean {
  if (apply.op !== undefined) return apply.op === 'create';
  return apply.write !== null && model.writes.get(apply.write)?.kind === 'create';
}
