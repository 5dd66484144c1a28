import type { SnapshotRow } from '../trace/index.ts';
import { isDelete, type OpEvent, type TaskHistory, type TraceModel } from './model.ts';

/**
 * Last-write-wins order of two writes of one task: a delete is above every update (a
 * tombstone is final), then the greater stamp, then the greater device id; two writes with
 * the same stamp on one device (a coarse clock) are ordered by seq, the later one winning.
 */
export function compareRank(a: OpEvent, b: OpEvent): number {
  const da = isDelete(a);
  if (da !== isDelete(b)) return da ? 1 : -1;
  if (a.stamp !== b.stamp) return a.stamp < b.stamp ? -1 : 1;
  if (a.device !== b.device) return a.device < b.device ? -1 : 1;
  return a.seq - b.seq;
}

/** The write LWW says the task must end with (a delete, if the task has one). */
export function winnerOf(history: TaskHistory): OpEvent | undefined {
  let best: OpEvent | undefined;
  for (const op of history.ops) if (best === undefined || compareRank(op, best) > 0) best = op;
  return best;
}

function sameValue(a: OpEvent, b: OpEvent): boolean {
  return a.value.title === b.value.title && a.value.completed === b.value.completed && isDelete(a) === isDelete(b);
}

/**
 * Whether a snapshot row shows a write. For a delete, any tombstone does (which delete
 * made it does not matter to the user). For an update, the value must match and, when
 * the row names its write, that write must be this one or one with the very same value.
 */
export function rowShows(writes: ReadonlyMap<string, OpEvent>, row: SnapshotRow, op: OpEvent): boolean {
  if (isDelete(op)) return row.deleted;
  if (row.deleted || row.title !== op.value.title || row.completed !== op.value.completed) return false;
  if (row.write === null || row.write === op.write) return true;
  const named = writes.get(row.write);
  return named === undefined || sameValue(named, op);
}

/**
 * The write whose value a row holds: the one it names when that is a write of the task,
 * else the greatest write of the task with the row's value (generated workloads give
 * every write a unique title, so the value names the write). Undefined when no write matches.
 */
export function rowWrite(model: TraceModel, history: TaskHistory, row: SnapshotRow): OpEvent | undefined {
  const named = row.write === null ? undefined : model.writes.get(row.write);
  if (named !== undefined && named.task === history.name) return named;
  let best: OpEvent | undefined;
  for (const op of history.ops) {
    const matches = row.deleted
      ? isDelete(op)
      : !isDelete(op) && op.value.title === row.title && op.value.completed === row.completed;
    if (matches && (best === undefined || compareRank(op, best) > 0)) best = op;
  }
  return best;
}

/**
 * Causal ancestry through `basis` links: W is an ancestor of X when X was made on a row
 * that reflected W, or reflected a write made on a row that reflected W, and so on.
 * Ancestor sets are built on demand and cached, so asking about every write of a task
 * walks each chain once.
 */
export class Ancestry {
  private readonly cache = new Map<string, Set<string>>();

  constructor(private readonly writes: ReadonlyMap<string, OpEvent>) {}

  isAncestor(ancestor: OpEvent, of: OpEvent): boolean {
    return this.ancestorsOf(of).has(ancestor.write);
  }

  private ancestorsOf(op: OpEvent): Set<string> {
    let set = this.cache.get(op.write);
    if (set !== undefined) return set;
    set = new Set();
    let basis = op.basis;
    while (basis !== null && !set.has(basis)) {
      const parent = this.writes.get(basis);
      if (parent === undefined || parent.task !== op.task) break;
      set.add(basis);
      basis = parent.basis;
    }
    this.cache.set(op.write, set);
    return set;
  }

  /** The basis chain from `ancestor` down to `descendant`, both included (empty if unrelated). */
  chain(ancestor: OpEvent, descendant: OpEvent): OpEvent[] {
    const chain: OpEvent[] = [descendant];
    const seen = new Set<string>([descendant.write]);
    let current = descendant;
    while (current.basis !== null && !seen.has(current.basis)) {
      const parent = this.writes.get(current.basis);
      if (parent === undefined) return [];
      chain.push(parent);
      seen.add(parent.write);
      if (parent === ancestor) return chain.reverse();
      current = parent;
    }
    return [];
  }
}

/**
 * Whether write `x` supersedes write `w` of the same task: it outranks it in LWW order, or
 * (for a live `w`) it was made on a row that already reflected `w`. A delete is superseded
 * only by LWW order: nothing made after a tombstone undoes it.
 */
export function supersedes(ancestry: Ancestry, x: OpEvent, w: OpEvent): boolean {
  if (x === w) return false;
  if (compareRank(x, w) > 0) return true;
  return !isDelete(w) && ancestry.isAncestor(w, x);
}

/** `phone#3 "Buy milk" (stamp 0005)`, or `phone#4 delete (stamp 0007)`. */
export function describeWrite(op: OpEvent): string {
  const what = isDelete(op) ? 'delete' : `${JSON.stringify(op.value.title)}${op.value.completed ? ' done' : ''}`;
  return `${op.write} ${what} (stamp ${op.stamp})`;
}

/** A row as the user sees it: `"Buy milk" done`, `deleted "Buy milk"`. */
export function describeRow(row: SnapshotRow): string {
  const value = `${JSON.stringify(row.title)}${row.completed ? ' done' : ''}`;
  return row.deleted ? `deleted ${value}` : value;
}
