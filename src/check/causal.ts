import type { AnyTraceEvent } from '../trace/index.ts';
import { indexTrace, isDelete, type NodeState, type Write, type TaskHistory, type TraceModel } from './model.ts';
import { Ancestry, describeWrite, rowWrite } from './values.ts';
import { Findings, seqList, type CheckOptions, type CheckResult } from './verdict.ts';

/** The longest basis chain a violation spells out. */
const CHAIN_SHOWN = 20;

/**
 * causal: the final value of a task is write W (the server snapshot row's `write`, or the
 * write with the row's value), while another write W2 of the task causally supersedes W:
 * W2's basis chain (W2.basis, its basis, ...) contains W, i.e. W2 was made on a device
 * whose row already reflected W — the lost update that wall-clock LWW suffers under skew.
 * - Judged on the server's snapshot; without one, on each device's.
 * - A node passes for a task when any of its rows holds a write with no causal successor
 *   (duplicates are no-duplicates' business), or a value no write made (nothing to judge),
 *   or a delete (a tombstone is final whatever follows it).
 * - The violation names W, the latest write that descends from it, and the chain between.
 * Without snapshots there is no final value and nothing is judged (`stats.nodes` is 0).
 */
export function checkCausal(events: readonly AnyTraceEvent[], options?: CheckOptions): CheckResult {
  return judgeCausal(indexTrace(events), options);
}

export function judgeCausal(model: TraceModel, options?: CheckOptions): CheckResult {
  const findings = Findings.for(options);
  const nodes = model.server !== null ? [model.server] : model.deviceStates;
  const ancestry = new Ancestry(model.writes);
  let judged = 0;
  for (const history of model.tasks.values()) {
    if (history.writes.length < 2) continue;
    for (const state of nodes) {
      const rows = state.rows.get(history.name);
      if (rows === undefined || rows.length === 0) continue;
      judged++;
      let superseded: Write | undefined;
      for (const row of rows) {
        const held = rowWrite(model, history, row);
        if (held === undefined || isDelete(held) || !model.childOf.has(held.write)) {
          superseded = undefined;
          break;
        }
        superseded ??= held;
      }
      if (superseded !== undefined) report(ancestry, history, state, superseded, findings);
    }
  }
  return findings.verdict('causal', { tasks: judged, nodes: nodes.length });
}

function report(ancestry: Ancestry, history: TaskHistory, state: NodeState, held: Write, findings: Findings): void {
  findings.report(() => {
    const latest = latestDescendant(history, held);
    const chain = ancestry.chain(held, latest);
    const shown = chain.length > CHAIN_SHOWN ? [...chain.slice(0, CHAIN_SHOWN - 1), chain[chain.length - 1]!] : chain;
    const where = state.node === 'server' ? 'the server' : `device ${state.node}`;
    const next = shown[1] ?? latest;
    return {
      task: history.name,
      writes: shown.map((op) => op.write),
      seqs: seqList(...shown.map((op) => op.seq), state.snapshot.seq),
      message: `task ${history.name} ends as ${describeWrite(held)} on ${where}, but ${describeWrite(next)} `
        + `was made on ${next.device} over it (chain ${shown.map((op) => op.write).join(' → ')}${chain.length > shown.length ? ', shortened' : ''})`,
    };
  });
}

/** The write with the greatest seq among those whose basis chain reaches `root`. */
function latestDescendant(history: TaskHistory, root: Write): Write {
  const children = new Map<string, Write[]>();
  for (const op of history.writes) {
    if (op.basis === null) continue;
    const list = children.get(op.basis);
    if (list === undefined) children.set(op.basis, [op]);
    else list.push(op);
  }
  let latest = root;
  const seen = new Set<string>([root.write]);
  const queue = [root];
  for (let i = 0; i < queue.length; i++) {
    for (const child of children.get(queue[i]!.write) ?? []) {
      if (seen.has(child.write)) continue;
      seen.add(child.write);
      queue.push(child);
      if (child.seq > latest.seq) latest = child;
    }
  }
  return latest;
}
