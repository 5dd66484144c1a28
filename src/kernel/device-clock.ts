import type { Kernel } from './kernel.ts';

/**
 * A device's wall clock: virtual time plus a skew (which the scenario may change at run
 * time, like a user or NTP setting the clock) plus a drift in parts per million.
 */
export class DeviceClock {
  constructor(
    private readonly kernel: Kernel,
    public skew = 0,
    public driftPpm = 0,
  ) {}

  now(): number {
    const t = this.kernel.now;
    return t + this.skew + (this.driftPpm === 0 ? 0 : Math.trunc((t * this.driftPpm) / 1_000_000));
  }
}
