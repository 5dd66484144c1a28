import { formatStamp, observe, tick, type HlcState } from './hlc.ts';

/** The device's hybrid logical clock as mutable state over the pure functions of hlc.ts. */
export class HybridClock {
  constructor(
    public state: HlcState,
    private readonly wall: () => number,
  ) {}

  /** A stamp for a new local write. */
  next(): string {
    this.state = tick(this.state, this.wall());
    return formatStamp(this.state);
  }

  /** Moves past a stamp seen from the server. */
  see(stamp: string): void {
    this.state = observe(this.state, stamp);
  }
}
