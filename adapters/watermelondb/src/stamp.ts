/**
 * The LWW stamp of a write, kept in the `stamp` column (WatermelonDB rewrites `updated_at`
 * itself, so LWW cannot use it). The design's rule is "the later timestamp wins, ties by
 * device, a delete wins"; the stamp is the device clock in ms, pushed past the stamp of the
 * row being edited and past this incarnation's last stamp (a hybrid logical clock), so an
 * edit made on a row always beats the value it was made on, however far the clock lags.
 * Fixed-width digits: the server compares stamps as strings.
 */
const PHYSICAL_DIGITS = 15;
const COUNTER_DIGITS = 6;
const STAMP = /^(\d{15})(?:\.(\d{6}))?$/;

export interface StampState {
  physical: number;
  counter: number;
}

export const STAMP_ZERO: StampState = { physical: 0, counter: 0 };

export function formatStamp(state: StampState): string {
  const physical = String(Math.max(0, Math.floor(state.physical))).padStart(PHYSICAL_DIGITS, '0');
  return `${physical}.${String(state.counter).padStart(COUNTER_DIGITS, '0')}`;
}

/** The state a stamp names; zero for a stamp in another format (it never pushes the clock). */
export function parseStamp(stamp: string | null | undefined): StampState {
  const match = STAMP.exec(stamp ?? '');
  if (match === null) return STAMP_ZERO;
  return { physical: Number(match[1]), counter: Number(match[2] ?? '0') };
}

function compareState(a: StampState, b: StampState): number {
  if (a.physical !== b.physical) return a.physical < b.physical ? -1 : 1;
  return a.counter === b.counter ? 0 : a.counter < b.counter ? -1 : 1;
}

/** The stamp of a new local write at device time `now`, after `last` (this incarnation's) and `basis` (the row's). */
export function nextStamp(last: StampState, basis: string | null | undefined, now: number): StampState {
  const seen = parseStamp(basis);
  const floor = compareState(seen, last) > 0 ? seen : last;
  const wall = Math.max(0, Math.floor(now));
  if (wall > floor.physical) return { physical: wall, counter: 0 };
  return { physical: floor.physical, counter: floor.counter + 1 };
}

/** The server's LWW order (SPEC §4): stamp, then device id, as strings (the wire leaves an empty device out). */
export function compareWrites(a: { stamp: string; device?: string }, b: { stamp: string; device?: string }): number {
  if (a.stamp !== b.stamp) return a.stamp < b.stamp ? -1 : 1;
  const [da, db] = [a.device ?? '', b.device ?? ''];
  if (da !== db) return da < db ? -1 : 1;
  return 0;
}
