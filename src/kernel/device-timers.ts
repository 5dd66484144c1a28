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

/**
 * Timers that browser code stored as numbers (a browser's setTimeout returns one), one
 * registry per kernel: a timer is registered only when its handle is converted, and
 * forgotten once it is done.
 */
export class TimerNumbers {
  private next = 1;
  private readonly byNumber = new Map<number, SimTimer>();

  /** A new number for `timer`, remembered until `forget`. */
  assign(timer: SimTimer): number {
    const id = this.next++;
    this.byNumber.set(id, timer);
    return id;
  }

  /** Remembers `timer` under its number again (a refreshed timer that had fired). */
  remember(id: number, timer: SimTimer): void {
    this.byNumber.set(id, timer);
  }

  forget(id: number): void {
    this.byNumber.delete(id);
  }

  /** The pending timer a number names, if any. */
  get(id: number): TimerHandle | undefined {
    return this.byNumber.get(id);
  }
}

class SimTimer implements TimerHandle {
  event: ScheduledEvent | null = null;
  daemon = false;
  cleared = false;
  private id = 0;

  /** `arm` schedules the timer's next run from now (its whole delay, or its period). */
  constructor(
    private readonly kernel: Kernel,
    private readonly arm: (timer: SimTimer) => void,
  ) {}

  /**
   * Node's `refresh()`: the timer starts over from now, and one that has already fired runs
   * again (libraries use it for idle and keep-alive timers). A cleared timer stays cleared.
   */
  refresh(): this {
    if (this.cleared) return this;
    if (this.event !== null) this.kernel.cancel(this.event);
    this.event = null;
    if (this.id !== 0) this.kernel.timerNumbers.remember(this.id, this);
    this.arm(this);
    return this;
  }

  /** Node's `close()`: the same as clearing it. */
  close(): this {
    this.clear();
    return this;
  }

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
    this.forget();
  }

  /** The handle as a number, the way browser code keeps timer ids. */
  [Symbol.toPrimitive](): number {
    if (this.id === 0) this.id = this.kernel.timerNumbers.assign(this);
    return this.id;
  }

  forget(): void {
    if (this.id !== 0) this.kernel.timerNumbers.forget(this.id);
  }

  private setDaemon(daemon: boolean): void {
    this.daemon = daemon;
    if (this.event !== null) this.kernel.setDaemon(this.event, daemon);
  }
}

/** Whether `handle` is one of ours (of any kernel), as opposed to a real Node timer. */
export function isSimTimer(handle: unknown): handle is TimerHandle & { clear(): void } {
  return handle instanceof SimTimer;
}

/**
 * Timers for one incarnation of a node (members are properties, so an engine may pass
 * them around unbound, as it would the global functions). Delays are elapsed virtual time
 * (timers are monotonic: changing the device's wall clock does not move them). Everything
 * is fenced: a crash discards pending timers, a suspended app holds them. This is the
 * engine contract's `TimerPort` (engines/ports.ts); the virtual globals (SPEC §3.2) use the
 * same timers for third-party code. A null fence: the harness's own timers.
 */
export class DeviceTimers {
  constructor(
    private readonly kernel: Kernel,
    private readonly fence: Fence | null,
  ) {}

  setTimeout = (callback: () => void, ms: number): TimerHandle => {
    const delay = toDelay(ms);
    const timer = new SimTimer(this.kernel, (armed) => {
      if (this.fence !== null && !this.fence.alive) return;
      armed.event = this.kernel.schedule(delay, () => {
        armed.event = null;
        armed.forget();
        // Checked here too: a timer held while its app was suspended is rescheduled on thaw.
        if (!armed.cleared) callback();
      }, { fence: this.fence, async: true, daemon: armed.daemon });
    });
    timer.refresh();
    return timer;
  };

  setInterval = (callback: () => void, ms: number): TimerHandle => {
    const period = Math.max(1, toDelay(ms));
    const arm = (armed: SimTimer) => {
      if ((this.fence !== null && !this.fence.alive) || armed.cleared) return;
      armed.event = this.kernel.schedule(period, () => {
        armed.event = null;
        if (armed.cleared) return;
        arm(armed);
        callback();
      }, { fence: this.fence, async: true, daemon: armed.daemon });
    };
    const timer = new SimTimer(this.kernel, arm);
    timer.refresh();
    return timer;
  };

  clearTimeout = (handle: TimerHandle | undefined): void => {
    if (handle instanceof SimTimer) handle.clear();
  };

  clearInterval = (handle: TimerHandle | undefined): void => {
    this.clearTimeout(handle);
  };
}

/** Like browsers and Node: a delay is converted to a number, and a missing, negative or fractional one rounded to whole ms >= 0. */
function toDelay(ms: unknown): number {
  const delay = Number(ms);
  return Number.isFinite(delay) && delay > 0 ? Math.floor(delay) : 0;
}
