import type { EventOf, ReadFields, ReadRow } from './events.ts';

/**
 * The compact form of `read` events. A device's list rarely changes between two reads
 * (a read follows every write), so a read after the first is written as the rows added
 * or changed since the device's previous read (`since` is that read's seq) and the ids
 * no longer there (`gone`). `ReadEncoder` writes it; `ReadViews` expands it back; the two
 * are inverse (a property test holds them so).
 */

const sameRow = (a: ReadRow, b: ReadRow) => a.task === b.task && a.title === b.title && a.completed === b.completed;

/** Encodes one device's successive reads; one encoder per device. */
export class ReadEncoder {
  private previous: { seq: number; rows: Map<string, ReadRow> } | null = null;

  /** The row with this id at the device's previous read: a caller may hand it back, unchanged, to make comparing it free. */
  previousRow(id: string): ReadRow | undefined {
    return this.previous?.rows.get(id);
  }

  /** The fields of the read with `rows`, the next event, to be recorded as seq `seq`. */
  encode(seq: number, device: string, cause: ReadFields['cause'], rows: readonly ReadRow[]): ReadFields {
    const current = new Map<string, ReadRow>();
    for (const row of rows) current.set(row.id, row);
    const previous = this.previous;
    // Two rows with one id (a broken engine) cannot be told apart by id: such reads are written whole.
    const unique = current.size === rows.length;
    this.previous = unique ? { seq, rows: current } : null;
    if (previous === null || !unique) return { device, cause, rows: [...rows] };
    const changed = rows.filter((row) => {
      const before = previous.rows.get(row.id);
      // A caller that hands back the very row objects of unchanged rows makes this a pointer test.
      return before !== row && (before === undefined || !sameRow(before, row));
    });
    const gone: string[] = [];
    for (const id of previous.rows.keys()) if (!current.has(id)) gone.push(id);
    // A full read is as small when most rows changed, and readable on its own.
    if (changed.length + gone.length >= rows.length) return { device, cause, rows: [...rows] };
    return { device, cause, since: previous.seq, rows: changed, ...(gone.length > 0 && { gone }) };
  }
}

/** A problem with a compact read: `since` names no earlier read of the device. */
export class ReadChainError extends Error {
  override name = 'ReadChainError';
}

/**
 * Expands reads in trace order: `rowsOf(read)` gives the whole list the user saw. Each
 * device's latest list is kept (by id, in the order rows first appeared), so a compact
 * read costs its changes, not the list's size.
 */
export class ReadViews {
  private readonly latest = new Map<string, { seq: number; rows: Map<string, ReadRow> }>();

  /** Applies a read (the next of its device, in trace order) and returns the device's whole list. */
  apply(read: EventOf<'read'>): ReadonlyMap<string, ReadRow> {
    const previous = this.latest.get(read.device);
    let rows: Map<string, ReadRow>;
    if (read.since === undefined) {
      rows = new Map();
      for (const row of read.rows) rows.set(rows.has(row.id) ? `${row.id}\u0000${rows.size}` : row.id, row);
    } else {
      if (previous === undefined || previous.seq !== read.since) {
        throw new ReadChainError(`read since ${read.since}: the previous read of ${read.device} is ${previous === undefined ? 'none' : `seq ${previous.seq}`}`);
      }
      rows = previous.rows;
      for (const id of read.gone ?? []) rows.delete(id);
      for (const row of read.rows) rows.set(row.id, row);
    }
    this.latest.set(read.device, { seq: read.seq, rows });
    return rows;
  }

  /** The device's latest list, or undefined if it never read. */
  current(device: string): ReadonlyMap<string, ReadRow> | undefined {
    return this.latest.get(device)?.rows;
  }
}

/** Every read of a trace with its whole list (a copy per read: for tests and small traces). */
export function expandReads(events: ReadonlyArray<{ type: string }>): Array<{ read: EventOf<'read'>; rows: ReadRow[] }> {
  const views = new ReadViews();
  const out: Array<{ read: EventOf<'read'>; rows: ReadRow[] }> = [];
  for (const event of events) {
    if (event.type !== 'read') continue;
    const read = event as EventOf<'read'>;
    out.push({ read, rows: [...views.apply(read).values()] });
  }
  return out;
}
