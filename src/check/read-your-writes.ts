import type { AnyTraceEvent, ReadRow } from '../trace/index.ts';
import { indexTrace, isDelete, type TraceModel, type Write } from './model.ts';
import { DeviceLists, deleteBefore, writesShown } from './read-lists.ts';
import { Ancestry, describeRow, describeWrite, mayReplace } from './values.ts';
import { Findings, seqList, type CheckOptions, type CheckResult } from './verdict.ts';

/**
 * read-your-writes (a session guarantee): once a user's write W of a task returned on a
 * device, every later read on that device — across crashes and restarts — shows W or
 * something that rightly replaced it. For the device's latest returned write W of each task
 * it wrote, at each later read:
 * - W a delete: the task must not be in the list;
 * - W live: the list must show the task, with a row holding W or a write made before the
 *   read that may replace W (supersedes it, or is concurrent with it when there are no
 *   stamps: see mayReplace) and that W was not made over; or the task is gone because a
 *   delete of it was made before the read. A row whose value no write made shows nothing of W: it fails too.
 * Only reads after W returned are judged (the harness reads right after each write), and
 * each (device, task, write) is reported once.
 */
export function checkReadYourWrites(events: readonly AnyTraceEvent[], options?: CheckOptions): CheckResult {
  return judgeReadYourWrites(indexTrace(events), options);
}

export function judgeReadYourWrites(model: TraceModel, options?: CheckOptions): CheckResult {
  const findings = Findings.for(options);
  const ancestry = new Ancestry(model.writes);
  const returned = [...model.writes.values()].filter((w) => w.okSeq !== null).sort((a, b) => a.okSeq! - b.okSeq!);
  const lists = new DeviceLists();
  /** Per device: the latest returned write of each task it wrote, and the tasks to judge at its next read. */
  const own = new Map<string, { latest: Map<string, Write>; due: Set<string> }>();
  const ownOf = (device: string) => {
    let entry = own.get(device);
    if (entry === undefined) own.set(device, (entry = { latest: new Map(), due: new Set() }));
    return entry;
  };
  const reported = new Set<string>();
  let next = 0;
  let judged = 0;
  for (const change of model.reads) {
    const { read } = change;
    for (; next < returned.length && returned[next]!.okSeq! < read.seq; next++) {
      const w = returned[next]!;
      const entry = ownOf(w.device);
      entry.latest.set(w.task, w);
      entry.due.add(w.task);
    }
    const entry = ownOf(read.device);
    for (const { task } of lists.apply(change)) if (entry.latest.has(task)) entry.due.add(task);
    for (const task of entry.due) {
      const write = entry.latest.get(task)!;
      judged++;
      const rows = lists.rows(read.device, task);
      const problem = staleness(model, ancestry, write, rows, read.seq);
      if (problem === null) continue;
      const key = `${read.device}\u0000${write.write}`;
      if (reported.has(key)) continue;
      reported.add(key);
      findings.report(() => ({
        task,
        writes: [write.write],
        seqs: seqList(write.seq, write.okSeq, read.seq),
        message: `after ${describeWrite(write)} returned on ${read.device}, a read there (seq ${read.seq}) ${problem}`,
      }));
    }
    entry.due.clear();
  }
  return findings.verdict('read-your-writes', { reads: model.reads.length, writes: returned.length, judged });
}

/** What is wrong with a read's rows for the task of `write`, or null when they show it (or what replaced it). */
function staleness(model: TraceModel, ancestry: Ancestry, write: Write, rows: ReadRow[], seq: number): string | null {
  const history = model.tasks.get(write.task);
  if (isDelete(write)) return rows.length === 0 ? null : `still shows task ${write.task} live: ${rows.map(describeRow).join(', ')}`;
  if (rows.length === 0) return deleteBefore(history, seq) !== undefined ? null : `misses task ${write.task}`;
  // The common case: the one row shows the write itself.
  if (rows.length === 1 && rows[0]!.title === write.value.title && rows[0]!.completed === write.value.completed) return null;
  for (const row of rows) {
    // What the device's write was made over is older, whatever its stamp says.
    for (const shown of writesShown(history, row, seq)) if (mayReplace(model, ancestry, shown, write) && !ancestry.isAncestor(shown, write)) return null;
  }
  const shown = writesShown(history, rows[0]!, seq);
  if (shown.length === 0) return `shows task ${write.task} as ${describeRow(rows[0]!)}, a value no write made`;
  return `shows task ${write.task} as ${describeRow(rows[0]!)} (${describeWrite(shown[shown.length - 1]!)}), an older value`;
}
