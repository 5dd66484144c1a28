/**
 * A hybrid logical clock: stamps follow the device clock when it moves forward and a
 * counter when it does not, and every stamp seen from the server pushes the clock past
 * it. So an edit made after seeing another device's edit always carries a greater stamp,
 * however far this device's wall clock lags.
 */
export interface HlcState {
  /** Milliseconds: the greatest of the device clock and every stamp seen. */
  physical: number;
  /** Orders stamps within one millisecond. */
  counter: number;
}

export const HLC_ZERO: HlcState = { physical: 0, counter: 0 };

const PHYSICAL_DIGITS = 15;
const COUNTER_DIGITS = 6;
const STAMP = /^(\d{15})(?:\.(\d{6}))?$/;

/** Fixed-width digits, so stamps compare correctly as strings (the server compares them so). */
export function formatStamp(state: HlcState): string {
  const physical = String(Math.max(0, Math.floor(state.physical))).padStart(PHYSICAL_DIGITS, '0');
  return `${physical}.${String(state.counter).padStart(COUNTER_DIGITS, '0')}`;
}

/** The clock state a stamp names; null for a stamp this clock did not make (another engine's format). */
export function parseStamp(stamp: string): HlcState | null {
  const match = STAMP.exec(stamp);
  if (match === null) return null;
  return { physical: Number(match[1]), counter: Number(match[2] ?? '0') };
}

export function compareHlc(a: HlcState, b: HlcState): number {
  if (a.physical !== b.physical) return a.physical < b.physical ? -1 : 1;
  return a.counter === b.counter ? 0 : a.counter < b.counter ? -1 : 1;
}

/** The state for a new local event at device time `now` (negative clocks count as 0). */
export function tick(state: HlcState, now: number): HlcState {
  const wall = Math.max(0, Math.floor(now));
  if (wall > state.physical) return { physical: wall, counter: 0 };
  return { physical: state.physical, counter: state.counter + 1 };
}

/** The state after seeing a remote stamp: never behind it, so the next tick is after it. */
export function observe(state: HlcState, stamp: string): HlcState {
  const remote = parseStamp(stamp);
  if (remote === null || compareHlc(remote, state) <= 0) return state;
  return remote;
}
