import type { SnapshotRow } from '../trace/index.ts';
import { isDelete, type TaskHistory, type TraceModel, type Write } from './model.ts';
import { REAL_TIME_MARGIN_MS } from './tolerance.ts';

/**
 * Last-write-wins order of two writes of one task that both carry an engine's stamp: a
 * delete is above every update (a tombstone is final), then the greater stamp, then the
 * greater device id; two writes with the same stamp on one device (a coarse clock) are
 * ordered by seq, the later one winning.
 */
export function compareRank(a: Write, b: Write): number {
  const da = isDelete(a);
  if (da !== isDelete(b)) return da ? 1 : -1;
  const sa = a.stamp ?? '';
  const sb = b.stamp ?? '';
  if (sa !== sb) return sa < sb ? -1 : 1;
  if (a.device !== b.device) return a.device < b.device ? -1 : 1;
  return a.seq - b.seq;
}

/**
 * Whether LWW says write `a` must win over write `b` of the same task (SPEC §6). A delete
 * beats every update and no update beats a delete. Between two stamped writes the stamps
 * decide (compareRank). Otherwise real time decides, as far as clocks allow: `a` beats `b`
 * when it was made at least the clocks' spread plus a second after `b` returned; two writes
 * closer than that are concurrent, and either may win. Two deletes are equivalent.
 */
export function beats(model: Pick<TraceModel, 'clockSpread'>, a: Write, b: Write): boolean {
  if (a === b) return false;
  const da = isDelete(a);
  const db = isDelete(b);
  if (da !== db) return da;
  if (da) return false;
  if (a.stamp !== null && b.stamp !== null) return compareRank(a, b) > 0;
  return a.t >= b.doneT + model.clockSpread + REAL_TIME_MARGIN_MS;
}

/** The writes LWW allows the task to end with: those no other write of the task beats (one, with stamps). */
export function winnersOf(model: Pick<TraceModel, 'clockSpread'>, history: TaskHistory): Write[] {
  const all = history.writes;
  if (all.length === 0) return [];
  if (all.every((w) => w.stamp !== null)) {
    let best = all[0]!;
    for (const w of all) if (compareRank(w, best) > 0) best = w;
    return [best];
  }
  // Without stamps: a delete wins if there is one; else every write no other write beats
  // (the latest made always qualifies, so a mix of stamped and unstamped writes has one).
  const deletes = all.filter(isDelete);
  if (deletes.length > 0) return deletes;
  let latestT = -Infinity;
  for (const w of all) latestT = Math.max(latestT, w.t);
  return all.filter((w) => !all.some((x) => x !== w && beats(model, x, w)) || w.t === latestT);
}

function sameValue(a: Write, b: Write): boolean {
  return a.value.title === b.value.title && a.value.completed === b.value.completed && isDelete(a) === isDelete(b);
}

/**
 * Whether a snapshot row shows a write. For a delete, any tombstone does (which delete
 * made it does not matter to the user). For an update, the value must match and, when
 * the row names its write, that write must be this one or one with the very same value.
 */
export function rowShows(writes: ReadonlyMap<string, Write>, row: RowValue, op: Write): boolean {
  if (isDelete(op)) return row.deleted === true;
  if (row.deleted === true || row.title !== op.value.title || row.completed !== op.value.completed) return false;
  if (row.write === undefined || row.write === null || row.write === op.write) return true;
  const named = writes.get(row.write);
  return named === undefined || sameValue(named, op);
}

/**
 * The write whose value a row holds: the one it names when that is a write of the task,
 * else the greatest write of the task with the row's value (generated workloads give
 * every write a unique title, so the value names the write). Undefined when no write matches.
 */
export function rowWrite(model: TraceModel, history: TaskHistory, row: RowValue): Write | undefined {
  const named = typeof row.write === 'string' ? model.writes.get(row.write) : undefined;
  if (named !== undefined && named.task === history.name) return named;
  let best: Write | undefined;
  for (const op of history.writes) {
    const matches = row.deleted === true
      ? isDelete(op)
      : !isDelete(op) && op.value.title === row.title && op.value.completed === row.completed;
    if (matches && (best === undefined || later(op, best))) best = op;
  }
  return best;
}

/** Between two writes of one value, the one a row more likely holds: by stamp when both have one, else the later made. */
function later(a: Write, b: Write): boolean {
  return a.stamp !== null && b.stamp !== null ? compareRank(a, b) > 0 : a.seq > b.seq;
}

/** What the value helpers read of a row: a snapshot row, or a read row (live, no write hint). */
export type RowValue = Pick<SnapshotRow, 'title' | 'completed'> & { deleted?: boolean; write?: string | null };

/**
 * Causal ancestry through `basis` links: W is an ancestor of X when X was made on a row
 * that reflected W, or reflected a write made on a row that reflected W, and so on.
 * Ancestor sets are built on demand and cached, so asking about every write of a task
 * walks each chain once.
 */
export class Ancestry {
  private readonly cache = new Map<string, Set<string>>();

  constructor(private readonly writes: ReadonlyMap<string, Write>) {}

  isAncestor(ancestor: Write, of: Write): boolean {
    return this.ancestorsOf(of).has(ancestor.write);
  }

  private ancestorsOf(op: Write): Set<string> {
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
  chain(ancestor: Write, descendant: Write): Write[] {
    const chain: Write[] = [descendant];
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
export function supersedes(model: Pick<TraceModel, 'clockSpread'>, ancestry: Ancestry, x: Write, w: Write): boolean {
  if (x === w) return false;
  if (beats(model, x, w)) return true;
  return !isDelete(w) && ancestry.isAncestor(w, x);
}

/**
 * Whether a node holding write `x` has rightly replaced write `w` (both of one task): `x`
 * supersedes `w`, or the two are concurrent (neither beats the other: LWW may pick either).
 */
export function mayReplace(model: Pick<TraceModel, 'clockSpread'>, ancestry: Ancestry, x: Write, w: Write): boolean {
  return x === w || supersedes(model, ancestry, x, w) || !beats(model, w, x);
}

/** `phone#3 "Buy milk" (stamp 0005)`, or `phone#4 delete (at 12000 ms)` without a stamp. */
export function describeWrite(op: Write): string {
  const what = isDelete(op) ? 'delete' : `${JSON.stringify(op.value.title)}${op.value.completed ? ' done' : ''}`;
  return `${op.write} ${what} (${op.stamp !== null ? `stamp ${op.stamp}` : `at ${op.t} ms`})`;
}

/** A row as the user sees it: `"Buy milk" done`, `deleted "Buy milk"`. */
export function describeRow(row: RowValue): string {
  const value = `${JSON.stringify(row.title)}${row.completed ? ' done' : ''}`;
  return row.deleted === true ? `deleted ${value}` : value;
}
