/**
 * A cursor step that starts at the cursor's position instead of the start of its range.
 *
 * fake-indexeddb (6.2.8) narrows the records a step walks to `[position, …]` only when the
 * cursor has no range: with one, it keeps the range's own lower bound (its bound merge
 * keeps the smaller of the two), so each `continue()` re-walks every record before the
 * position and a full scan of n records costs n²/2. RxDB's Dexie storage reads through
 * bounded ranges on compound indexes; in a seed that bulk-creates 1,000 tasks, 6,045 steps
 * walked 2.0 M records and the run took seconds.
 *
 * The fix gives the step a range that starts (closed) at the position — or at the key of
 * `continue(key)`, whichever is further — and ends where the cursor's range ends. Every
 * record it leaves out lies before the position, which the step skips anyway, so the
 * records found, their order and every error are exactly those of the unpatched step;
 * test/world/cursor-seek.test.ts compares the two on random stores and walks.
 */

/** The parts of fake-indexeddb's cursor that a step reads. */
interface CursorInternals {
  _range: IDBKeyRange | undefined;
  _position: IDBValidKey | undefined;
  direction: IDBCursorDirection;
  _iterate(key?: IDBValidKey, primaryKey?: IDBValidKey): unknown;
}

type KeyRangeClass = new (lower: unknown, upper: unknown, lowerOpen: boolean, upperOpen: boolean) => IDBKeyRange;

export interface CursorPrototype {
  _iterate(this: CursorInternals, key?: IDBValidKey, primaryKey?: IDBValidKey): unknown;
}

const installed = new WeakMap<CursorPrototype, CursorPrototype['_iterate']>();

/**
 * Patches fake-indexeddb's cursor prototype once (idempotent). `cmp` is IndexedDB's key
 * order; `KeyRange` is the library's own range class, whose constructor does not check
 * `lower <= upper` — a range past its end simply finds nothing, as the step would.
 */
export function installCursorSeek(prototype: CursorPrototype, KeyRange: KeyRangeClass, cmp: (a: unknown, b: unknown) => number): void {
  if (installed.has(prototype)) return;
  const step = prototype._iterate;
  installed.set(prototype, step);
  prototype._iterate = function seekingStep(this: CursorInternals, key?: IDBValidKey, primaryKey?: IDBValidKey) {
    const range = this._range;
    const narrowed = range === undefined ? undefined : fromPosition(range, this.direction, key, this._position, KeyRange, cmp);
    if (narrowed === undefined) return step.call(this, key, primaryKey);
    this._range = narrowed;
    try {
      return step.call(this, key, primaryKey);
    } finally {
      this._range = range;
    }
  };
}

/** The step as fake-indexeddb ships it (for the test that compares the two). */
export function originalStep(prototype: CursorPrototype): CursorPrototype['_iterate'] | undefined {
  return installed.get(prototype);
}

/**
 * The part of `range` from the further of `key` and `position` on, in the cursor's
 * direction; undefined when that bound does not cut into the range (nothing to gain).
 */
function fromPosition(
  range: IDBKeyRange,
  direction: IDBCursorDirection,
  key: IDBValidKey | undefined,
  position: IDBValidKey | undefined,
  KeyRange: KeyRangeClass,
  cmp: (a: unknown, b: unknown) => number,
): IDBKeyRange | undefined {
  const forward = direction === 'next' || direction === 'nextunique';
  const further = forward ? 1 : -1;
  let bound: IDBValidKey | undefined;
  for (const candidate of [key, position]) {
    if (candidate !== undefined && (bound === undefined || cmp(candidate, bound) === further)) bound = candidate;
  }
  if (bound === undefined) return undefined;
  const own = forward ? range.lower : range.upper;
  if (own !== undefined && cmp(bound, own) !== further) return undefined;
  return forward ? new KeyRange(bound, range.upper, false, range.upperOpen) : new KeyRange(range.lower, bound, range.lowerOpen, false);
}
