/**
 * What the users saw: the rows of each `read` event (SPEC §5). A read may be compact — `since`
 * (the seq of the device's previous read), the rows added or changed since then, and the ids
 * of the rows `gone` — so a reader expands it against the device's previous read. Expansion is
 * lazy and per device, with checkpoints, so showing the read at the playhead never expands
 * every read of a 100,000-event trace. Pure: no DOM, no React.
 */
import type { EventHeader } from '../../../src/trace/events.ts';
import { lowerBound } from './trace-index.ts';

export interface ReadRow {
  task: string;
  id: string;
  title: string;
  completed: boolean;
}

/** A read event, read field by field (a trace from elsewhere may carry fields of any shape). */
export type ReadEvent = EventHeader & { device?: unknown; cause?: unknown; rows?: unknown; since?: unknown; gone?: unknown };

const text = (value: unknown): string => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '');

/** The rows as the event records them (for a compact read: only those added or changed). */
export function recordedRows(e: ReadEvent): ReadRow[] {
  if (!Array.isArray(e.rows)) return [];
  const rows: ReadRow[] = [];
  for (const raw of e.rows as unknown[]) {
    if (typeof raw !== 'object' || raw === null) continue;
    const r = raw as Record<string, unknown>;
    rows.push({ task: text(r.task), id: text(r.id), title: text(r.title), completed: r.completed === true });
  }
  return rows;
}

export const isCompactRead = (e: ReadEvent): boolean => typeof e.since === 'number';

/** The ids a compact read says are no longer there. */
export function goneIds(e: ReadEvent): string[] {
  return Array.isArray(e.gone) ? (e.gone as unknown[]).map(text) : [];
}

/** A row is known by its id; a row without one by its task. */
export const rowKey = (row: ReadRow): string => (row.id !== '' ? row.id : `\u0000${row.task}`);

/** Brings a device's view (rows by key) from its previous read to this one, in place. */
export function applyRead(view: Map<string, ReadRow>, e: ReadEvent): void {
  if (!isCompactRead(e)) view.clear();
  else for (const id of goneIds(e)) view.delete(id);
  // A changed row keeps its place in the list; a new one goes to the end.
  for (const row of recordedRows(e)) view.set(rowKey(row), row);
}

/** The rows a read showed, given the rows of the same device's previous read (none for its first). */
export function expandRead(previous: readonly ReadRow[] | undefined, e: ReadEvent): ReadRow[] {
  const view = new Map<string, ReadRow>();
  if (isCompactRead(e)) for (const row of previous ?? []) view.set(rowKey(row), row);
  applyRead(view, e);
  return [...view.values()];
}

/** The position in `reads` (a device's read seqs, ascending) of its latest read at or before `seq`; -1 for none. */
export function latestReadAt(reads: readonly number[], seq: number): number {
  return lowerBound(reads, seq + 1) - 1;
}

/**
 * Expands one device's reads on demand, from the nearest state it holds at or before the read
 * asked for: the last one expanded, a checkpoint (at most about 32 per device, so memory stays
 * bounded), or just before a full read (which needs nothing before it).
 */
export class ReadCursor {
  private view = new Map<string, ReadRow>();
  private position = -1;
  private readonly checkpoints = new Map<number, Map<string, ReadRow>>();
  /** Positions in `reads` of the full (not compact) reads, ascending. */
  private readonly fullReads: number[] = [];
  private last: { position: number; rows: ReadRow[] } | undefined;

  constructor(
    private readonly events: readonly EventHeader[],
    /** The device's read seqs, ascending. */
    readonly reads: readonly number[],
    private readonly interval = Math.max(64, Math.ceil(reads.length / 32)),
  ) {
    reads.forEach((seq, k) => {
      if (!isCompactRead(events[seq] as ReadEvent)) this.fullReads.push(k);
    });
  }

  /** The rows of the device's read number `k` (its position in `reads`). */
  rowsOf(k: number): ReadRow[] {
    if (k < 0 || k >= this.reads.length) return [];
    if (this.last?.position === k) return this.last.rows;
    this.startFrom(k);
    for (let i = this.position + 1; i <= k; i++) {
      applyRead(this.view, this.events[this.reads[i]!] as ReadEvent);
      if (i % this.interval === 0 && !this.checkpoints.has(i)) this.checkpoints.set(i, new Map(this.view));
    }
    this.position = k;
    this.last = { position: k, rows: [...this.view.values()] };
    return this.last.rows;
  }

  /** Takes the nearest state at or before read `k` to expand it from. */
  private startFrom(k: number): void {
    const full = this.fullReads[lowerBound(this.fullReads, k + 1) - 1] ?? -1;
    const base = Math.floor(k / this.interval) * this.interval;
    const checkpoint = this.checkpoints.get(base);
    if (this.position <= k && this.position >= full - 1 && (!checkpoint || this.position >= base)) return;
    if (checkpoint && base >= full) {
      this.view = new Map(checkpoint);
      this.position = base;
    } else {
      // Just before a full read, or before the first read: the full read clears the view anyway.
      this.view = new Map();
      this.position = Math.max(-1, full - 1);
    }
  }

  /** The device's latest read at or before `seq`, with its rows; undefined before its first. */
  at(seq: number): { seq: number; rows: ReadRow[] } | undefined {
    const k = latestReadAt(this.reads, seq);
    return k < 0 ? undefined : { seq: this.reads[k]!, rows: this.rowsOf(k) };
  }
}

/**
 * The reads that concern a task, for the task filter: those that changed what the user saw of
 * it — it appeared, changed or went — against the device's previous read. A read that shows
 * it as before adds nothing (on a long trace, most reads would).
 */
export function readsChanging(events: readonly EventHeader[], readsByLane: readonly (readonly number[])[], task: string): number[] {
  const found: number[] = [];
  for (const reads of readsByLane) {
    // The device's view of the task's rows only, by key.
    let mine = new Map<string, ReadRow>();
    for (const seq of reads) {
      const e = events[seq] as ReadEvent;
      let changed = false;
      if (!isCompactRead(e)) {
        const next = new Map<string, ReadRow>();
        for (const row of recordedRows(e)) if (row.task === task) next.set(rowKey(row), row);
        changed = next.size !== mine.size || [...next].some(([key, row]) => !sameRow(mine.get(key), row));
        mine = next;
      } else {
        for (const id of goneIds(e)) changed = mine.delete(id) || changed;
        for (const row of recordedRows(e)) {
          const key = rowKey(row);
          if (row.task === task) {
            changed ||= !sameRow(mine.get(key), row);
            mine.set(key, row);
          } else changed = mine.delete(key) || changed;
        }
      }
      if (changed) found.push(seq);
    }
  }
  return found.sort((a, b) => a - b);
}

function sameRow(a: ReadRow | undefined, b: ReadRow): boolean {
  return a !== undefined && a.title === b.title && a.completed === b.completed && a.id === b.id;
}
