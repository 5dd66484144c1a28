import type { AnyTraceEvent } from '../trace/index.ts';
import { indexTrace, refusedByServer, type TraceModel, type Write } from './model.ts';
import { DeviceLists, deleteBefore, writesShown } from './read-lists.ts';
import { Ancestry, describeRow, describeWrite, supersedes } from './values.ts';
import { Findings, seqList, type CheckOptions, type CheckResult } from './verdict.ts';

/**
 * monotonic-reads (a session guarantee): a device's reads never go back in time. Per
 * device and task, over its reads in order (across restarts):
 * - a read showing the task at a value whose write W is superseded by a write S the device
 *   already showed (S beats W in LWW order, or W is in S's basis chain) fails, unless W was
 *   made over S (S is in W's basis chain: W is newer, whatever the stamps say, and causal
 *   judges the stamps); with a value several writes made, only when every one is superseded;
 * - a read showing the task live after the device showed it deleted (a read no longer
 *   showed it, after a delete of it was made) fails;
 * - a read missing a task the device showed before, when no delete of it was made by then,
 *   fails: the list went back to before the task existed (unless the server refused the
 *   task's creation, after which an engine may drop it).
 * Values no write made are not judged here (lww and durability judge end states). Each
 * (device, task) is reported once.
 */
export function checkMonotonicReads(events: readonly AnyTraceEvent[], options?: CheckOptions): CheckResult {
  return judgeMonotonicReads(indexTrace(events), options);
}

interface Seen {
  /** Writes shown so far (for an ambiguous value, its earliest write). */
  shown: Write[];
  /** The read after which the device showed the task deleted. */
  deletedAt: number | null;
  shownAt: number;
}

type Report = (device: string, task: string, seqs: number[], writes: string[], message: string) => void;

/** The values a read shows for a task, against what the device showed of it before. */
function judgeValues(model: TraceModel, ancestry: Ancestry, lists: DeviceLists, device: string, task: string, entry: Seen, seq: number, report: Report): void {
  const history = model.tasks.get(task);
  for (const row of lists.rows(device, task)) {
    const candidates = writesShown(history, row, seq);
    if (candidates.length === 0) continue;
    // A write made over one shown earlier is newer, whatever its stamp says (that is causal's business).
    const newer = entry.shown.find((s) => candidates.every((c) => supersedes(model, ancestry, s, c) && !ancestry.isAncestor(s, c)));
    if (newer !== undefined) {
      const older = candidates[candidates.length - 1]!;
      report(device, task, [entry.shownAt, seq, older.seq, newer.seq], [newer.write, older.write],
        `a read on ${device} (seq ${seq}) shows task ${task} as ${describeRow(row)} (${describeWrite(older)}) after it showed ${describeWrite(newer)}, which supersedes it`);
      continue;
    }
    const earliest = candidates[0]!;
    // What it supersedes can no longer decide anything: the list stays short.
    if (!entry.shown.includes(earliest)) entry.shown = [...entry.shown.filter((s) => !supersedes(model, ancestry, earliest, s)), earliest];
  }
}

export function judgeMonotonicReads(model: TraceModel, options?: CheckOptions): CheckResult {
  const findings = Findings.for(options);
  const ancestry = new Ancestry(model.writes);
  const lists = new DeviceLists();
  const seenBy = new Map<string, Map<string, Seen>>();
  const reported = new Set<string>();
  let judged = 0;
  const report = (device: string, task: string, seqs: number[], writes: string[], message: string) => {
    const key = `${device}\u0000${task}`;
    if (reported.has(key)) return;
    reported.add(key);
    findings.report(() => ({ task, writes, seqs: seqList(...seqs), message }));
  };
  for (const change of model.reads) {
    const { read } = change;
    const device = read.device;
    let seen = seenBy.get(device);
    if (seen === undefined) seenBy.set(device, (seen = new Map()));
    for (const { task, before, after } of lists.apply(change)) {
      judged++;
      const state = seen.get(task);
      const history = model.tasks.get(task);
      if (after === 0) {
        if (state === undefined || before === 0) continue;
        if (deleteBefore(history, read.seq) !== undefined) state.deletedAt = read.seq;
        else if (!refusedByServer(model, history)) {
          report(device, task, [state.shownAt, read.seq], state.shown.map((w) => w.write),
            `a read on ${device} (seq ${read.seq}) misses task ${task}, which it showed before (seq ${state.shownAt}), though no delete of it was made`);
        }
        continue;
      }
      let entry = state;
      if (entry === undefined) seen.set(task, (entry = { shown: [], deletedAt: null, shownAt: read.seq }));
      if (entry.deletedAt !== null && before === 0) {
        const rows = lists.rows(device, task);
        report(device, task, [entry.deletedAt, read.seq], [], `a read on ${device} (seq ${read.seq}) shows task ${task} live again (${rows.map(describeRow).join(', ')}) after it showed it deleted (seq ${entry.deletedAt})`);
        entry.deletedAt = null;
      }
      // A task with one write has no older value to go back to (most tasks of a bulk import).
      if (history !== undefined && history.writes.length > 1) judgeValues(model, ancestry, lists, device, task, entry, read.seq, report);
      entry.shownAt = read.seq;
    }
  }
  return findings.verdict('monotonic-reads', { reads: model.reads.length, judged });
}
