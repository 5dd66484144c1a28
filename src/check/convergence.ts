import type { AnyTraceEvent, SnapshotRow } from '../trace/index.ts';
import { indexTrace, lacksEndState, NO_SNAPSHOTS, refusedByServer, type NodeState, type TraceModel } from './model.ts';
import { Findings, seqList, writeList, type CheckOptions, type CheckResult } from './verdict.ts';

/**
 * convergence: for every device, the set of live (task, title, completed) triples in its
 * end snapshot equals the server's. Each task whose live values differ on a device is
 * one violation naming both sides. Tombstones and queues are not compared.
 * Without a server snapshot (a trace from a stand-in server), devices are compared with
 * the first device's snapshot instead.
 */
export function checkConvergence(events: readonly AnyTraceEvent[], options?: CheckOptions): CheckResult {
  return judgeConvergence(indexTrace(events), options);
}

export function judgeConvergence(model: TraceModel, options?: CheckOptions): CheckResult {
  const findings = Findings.for(options);
  if (lacksEndState(model)) {
    findings.report(() => ({ seqs: seqList(model.firstWriteSeq), message: NO_SNAPSHOTS }));
    return findings.verdict('convergence', { devices: 0 });
  }
  const reference = model.server ?? model.deviceStates[0];
  if (reference === undefined) return findings.verdict('convergence', { devices: 0 });
  const expected = liveValues(reference);
  let compared = 0;
  for (const state of model.deviceStates) {
    if (state === reference) continue;
    compared++;
    compareNode(model, reference, expected, state, findings);
  }
  return findings.verdict('convergence', { devices: compared, liveTasks: expected.size });
}

/** Each task's live values as sorted, distinct keys, with the rows behind them. */
interface LiveTask {
  keys: string;
  rows: SnapshotRow[];
}

function liveValues(state: NodeState): Map<string, LiveTask> {
  const live = new Map<string, LiveTask>();
  for (const [task, rows] of state.rows) {
    // The common case, one row per task, without the allocations of the general one.
    if (rows.length === 1) {
      const row = rows[0]!;
      if (!row.deleted) live.set(task, { keys: valueKey(row), rows });
      continue;
    }
    const liveRows = rows.filter((r) => !r.deleted);
    if (liveRows.length === 0) continue;
    const keys = [...new Set(liveRows.map(valueKey))].sort().join('\n');
    live.set(task, { keys, rows: liveRows });
  }
  return live;
}

/** A row's live value as a string: equal strings, equal values (JSON keeps titles unambiguous). */
function valueKey(row: SnapshotRow): string {
  return (row.completed ? '1' : '0') + JSON.stringify(row.title);
}

function compareNode(model: TraceModel, reference: NodeState, expected: Map<string, LiveTask>, state: NodeState, findings: Findings): void {
  const actual = liveValues(state);
  const differing: string[] = [];
  for (const [task, want] of expected) if (actual.get(task)?.keys !== want.keys) differing.push(task);
  for (const task of actual.keys()) if (!expected.has(task) && !keptByItsMaker(model, reference, task, state.node)) differing.push(task);
  const where = reference.node === 'server' ? 'the server' : `device ${reference.node}`;
  for (const task of differing) {
    const want = expected.get(task);
    const got = actual.get(task);
    findings.report(() => {
      const rows = [...(got?.rows ?? []), ...(want?.rows ?? [])];
      return {
        task,
        writes: writeList(...rows.map((r) => r.write)),
        seqs: seqList(state.snapshot.seq, reference.snapshot.seq, ...rows.map((r) => (r.write === null ? undefined : model.writes.get(r.write)?.seq))),
        message: `device ${state.node} shows task ${task} ${show(got, state.rows.get(task))} but ${where} shows it ${show(want, reference.rows.get(task))}`,
      };
    });
  }
}

/**
 * A task the server refused to create lives on the device that made it (the user was told
 * and may still edit it) and nowhere else: absent from the server, it is not a divergence
 * there. src/check/README.md says so.
 */
function keptByItsMaker(model: TraceModel, reference: NodeState, task: string, device: string): boolean {
  const history = model.tasks.get(task);
  return reference.node === 'server' && history !== undefined && refusedByServer(model, history) && history.writes.some((w) => w.device === device);
}

function show(live: LiveTask | undefined, rows: SnapshotRow[] | undefined): string {
  if (live === undefined) return rows === undefined ? 'missing' : 'deleted';
  return live.rows.map((r) => `${JSON.stringify(r.title)}${r.completed ? ' done' : ''} (${r.write ?? 'write unknown'})`).join(' and ');
}
