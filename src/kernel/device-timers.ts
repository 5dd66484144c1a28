import type { ScheduledEvent } from './event-queue.ts';
import type { Fence } from './fence.ts';
import type { Kernel } from './kernel.ts';

/**
 * A timer handle, shaped like Node's Timeout so engine code reads the same on a real host.
 * The kernel's own declaration: it imports nothing of ours, so it cannot use the engine
 * contract's (engines/ports.ts); `world` checks, where it hands timers to an engine, that
 * the two fit.
 */
export interface TimerHandle {
  /** Keep the run alive while this timer is pending (the default). */
  ref(): TimerHandle;
  /** Do not keep the run alive for this timer (periodic work). */
  unref(): TimerHandle;
  hasRef(): boolean;
}

class SimTimer implements TimerHandle {
  event: ScheduledEvent | null = null;
  daemon = false;
  cleared = false;

  constructor(private readonly kernel: Kernel) {}

  ref(): TimerHandle {
    this.setDaemon(false);
    return this;
  }

  unref(): TimerHandle {
    this.setDaemon(true);
    return this;
  }

  hasRef(): boolean {
    return !this.daemon;
  }

  clear(): void {
    this.cleared = true;
    if (this.event !== null) this.kernel.cancel(this.event);
    this.event = null;
  }

  private setDaemon(daemon: boolean): void {
    this.daemon = daemon;
    if (this.event !== null) this.kernel.setDaemon(this.event, daemon);
  }
}

/**
 * Timers for one incarnation of a device (members are properties, so an engine may pass
 * them around unbound, as it would the global functions). Delays are elapsed virtual time (timers are
 * monotonic: changing the device's wall clock does not move them). Everything is fenced:
 * a crash discards pending timers, a suspended app holds them. This is the engine contract's
 * `TimerPort` (engines/ports.ts).
 */
export class DeviceTimers {
  constructor(
    private readonly kernel: Kernel,
    private readonly fence: Fence,
  ) {}

  setTimeout = (callback: () => void, ms: number): TimerHandle => {
    const timer = new SimTimer(this.kernel);
    if (!this.fence.alive) return timer;
    timer.event = this.kernel.schedule(toDelay(ms), () => {
      timer.event = null;
      // Checked here too: a timer held while its app was suspended is rescheduled on thaw.
      if (!timer.cleared) callback();
    }, { fence: this.fence, async: true });
    return timer;
  };

  setInterval = (callback: () => void, ms: number): TimerHandle => {
    const timer = new SimTimer(this.kernel);
    const period = Math.max(1, toDelay(ms));
    const arm = () => {
      if (!this.fence.alive || timer.cleared) return;
      timer.event = this.kernel.schedule(period, () => {
        timer.event = null;
        if (timer.cleared) return;
        arm();
        callback();
      }, { fence: this.fence, async: true, daemon: timer.daemon });
    };
    arm();
    return timer;
  };

  clearTimeout = (handle: TimerHandle | undefined): void => {
    if (handle instanceof SimTimer) handle.clear();
  };

  clearInterval = (handle: TimerHandle | undefined): void => {
    this.clearTimeout(handle);
  };
}

/** Like browsers and Node: a missing, negative or fractional delay is rounded to whole ms >= 0. */
function toDelay(ms: number): number {
  return Number.isFinite(ms) && ms > 0 ? Math.floor(ms) : 0;
}
