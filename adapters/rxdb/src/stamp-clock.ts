/**
 * Last-write-wins stamps, as a team following the design would make them once it has read
 * about clock skew: the device clock in ms, never going back, and pushed past every stamp
 * the device has seen (a hybrid logical clock), so an edit made after seeing another
 * device's edit carries the greater stamp however far this device's clock lags. Fixed
 * width, so the server's string comparison orders them.
 */
const PHYSICAL_DIGITS = 15;
const COUNTER_DIGITS = 6;
const STAMP = /^(\d{15})\.(\d{6})$/;

export interface StampParts {
  physical: number;
  counter: number;
}

export function formatStamp(parts: StampParts): string {
  const physical = String(Math.max(0, Math.floor(parts.physical))).padStart(PHYSICAL_DIGITS, '0');
  return `${physical}.${String(parts.counter).padStart(COUNTER_DIGITS, '0')}`;
}

export function parseStamp(stamp: string): StampParts | null {
  const match = STAMP.exec(stamp);
  return match === null ? null : { physical: Number(match[1]), counter: Number(match[2]) };
}

export class StampClock {
  private last: StampParts = { physical: 0, counter: 0 };

  constructor(private readonly deviceNow: () => number) {}

  /** A stamp for a local write now: greater than every stamp made or seen before. */
  next(): string {
    const wall = Math.max(0, Math.floor(this.deviceNow()));
    this.last = wall > this.last.physical ? { physical: wall, counter: 0 } : { physical: this.last.physical, counter: this.last.counter + 1 };
    return formatStamp(this.last);
  }

  /** Another write's stamp (pulled, or read from disk at launch): the next local stamp will be past it. */
  observe(stamp: string): void {
    const seen = parseStamp(stamp);
    if (seen === null) return;
    if (seen.physical > this.last.physical || (seen.physical === this.last.physical && seen.counter > this.last.counter)) this.last = seen;
  }
}
