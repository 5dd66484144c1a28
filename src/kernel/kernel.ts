import { assert } from './assert.ts';
import { DeviceTimers, TimerNumbers } from './device-timers.ts';
import { EventQueue, type ScheduledEvent } from './event-queue.ts';
import { Fence } from './fence.ts';
import type { NodeWorld } from './node-world.ts';
import { RandomStream } from './random.ts';
import { wrapNodeModules } from './real-io.ts';
import { ContinuationScoped, EventScoped, type RunningAs } from './running-as.ts';
import { installVirtualGlobals, realNextTick, realSetImmediate } from './virtual-globals.ts';

wrapNodeModules();

/** Code running for the run but as no node in particular: the harness's steps, the world's own events. */
const HARNESS = new Fence('harness');

export interface KernelOptions {
  /**
   * How far "the current node" reaches (running-as.ts): through every promise continuation
   * (the default, SPEC §3.2), or for each event and its microtask drain only, which is exact
   * and cheaper for engines that read only their ports.
   */
  context?: 'continuations' | 'event';
}

export interface ScheduleOptions {
  /** The incarnation this work belongs to: dropped if it dies, held while it is frozen. */
  fence?: Fence | null;
  /** The callback may start promise work (engine code): microtasks drain before the next event. */
  async?: boolean;
  /** Does not keep the run alive, like an unref'd timer (periodic syncs, for example). */
  daemon?: boolean;
}

/**
 * Resolves after every microtask queued so far, and every one those queue, has run: V8
 * drains its whole microtask queue before Node runs the next tick. Cheap (no trip through
 * the event loop), but Node reports unhandled rejections only once the tick queue empties,
 * so the loop also takes a real turn (below) before virtual time moves on.
 */
function drainMicrotasks(): Promise<void> {
  return new Promise((resolve) => queueMicrotask(() => realNextTick(resolve)));
}

/** One trip through the real event loop: microtasks drained and rejections reported. */
function realTurn(): Promise<void> {
  return new Promise((resolve) => realSetImmediate(resolve));
}

/**
 * Virtual time and the event queue: the one source of "when" in a simulated run.
 * Time is an integer count of ms; events run in (time, insertion) order. Async callbacks
 * get their promise continuations drained before time moves on, so engine code written
 * with promises interleaves with virtual time the same way on every run.
 */
export class Kernel {
  now = 0;
  /** Events run so far (cancelled and fenced-off ones excluded). */
  eventsRun = 0;
  /** Timers converted to numbers, as browser code keeps them (device-timers.ts). */
  readonly timerNumbers = new TimerNumbers();
  /** What simulated code that runs as no device reads through the globals; the world gives it the run's seed. */
  harnessWorld: NodeWorld = { now: () => this.now, random: seededRandom(new RandomStream('syncsim:harness')) };

  private readonly runningAs: RunningAs;
  /** Real work in progress (a request at a real server), in the order it began: virtual time stands still until it settles. */
  private readonly realWork: Array<{ done: Promise<() => void>; fence: Fence | null }> = [];
  private readonly timersByFence = new WeakMap<Fence, DeviceTimers>();
  private readonly harnessTimers = new DeviceTimers(this, null);

  private readonly queue = new EventQueue();
  private nextSeq = 0;
  /** Queued events that keep the run alive (not daemon, not cancelled). */
  private live = 0;
  private failure: Error | null = null;
  private running = false;

  constructor(options: KernelOptions = {}) {
    this.runningAs = options.context === 'event' ? new EventScoped() : new ContinuationScoped();
  }

  schedule(delay: number, callback: () => void, options?: ScheduleOptions): ScheduledEvent {
    assert(Number.isInteger(delay) && delay >= 0, `delay must be a non-negative integer, got ${delay}`);
    return this.at(this.now + delay, callback, options);
  }

  at(time: number, callback: () => void, options?: ScheduleOptions): ScheduledEvent {
    assert(time >= this.now, `cannot schedule in the past: ${time} < ${this.now}`);
    const event: ScheduledEvent = {
      time,
      seq: this.nextSeq++,
      callback,
      fence: options?.fence ?? null,
      async: options?.async ?? false,
      daemon: options?.daemon ?? false,
    };
    if (!event.daemon) this.live++;
    this.queue.push(event);
    return event;
  }

  cancel(event: ScheduledEvent): void {
    if (event.callback === null) return;
    event.callback = null;
    if (!event.daemon) this.live--;
  }

  /** Marks a queued event as keeping the run alive or not (timer ref/unref). */
  setDaemon(event: ScheduledEvent, daemon: boolean): void {
    if (event.callback === null || event.daemon === daemon) return;
    event.daemon = daemon;
    this.live += daemon ? -1 : 1;
  }

  /** Reschedules, now and in order, what a frozen fence held. */
  thaw(fence: Fence): void {
    fence.frozen = false;
    const held = fence.held.splice(0);
    for (const { callback, async, daemon } of held) this.schedule(0, callback, { fence, async, daemon });
  }

  /**
   * The fence of the code running now — the event's, or the one whose event started the
   * promise chain this continuation belongs to; work it schedules inherits it.
   */
  get currentFence(): Fence | null {
    const fence = this.runningAs.current();
    return fence === undefined || fence === HARNESS ? null : fence;
  }

  /**
   * Runs `work` as if inside an event of `fence`: whatever it schedules, and every promise
   * continuation it causes, belongs to that fence.
   */
  runAs<T>(fence: Fence | null, work: () => T): T {
    return this.runningAs.run(fence ?? HARNESS, work);
  }

  /**
   * Starts `work` in the real world — outside the simulation, so it may use sockets — and
   * stops virtual time until it settles: no event runs meanwhile. Then `settled` runs as
   * `fence`, before any other event, at the instant the work began — as if the work had
   * been done on the spot, which is what a synchronous handler would have done. A
   * deterministic counterpart (a server that answers the same requests the same way) keeps
   * the run deterministic, since real work is taken one piece at a time, in event order.
   */
  startRealWork<T>(work: () => Promise<T>, settled: (outcome: { value: T } | { error: unknown }) => void, fence: Fence | null = null): void {
    const done = this.runningAs.outside(work).then(
      (value) => () => settled({ value }),
      (error: unknown) => () => settled({ error }),
    );
    this.realWork.push({ done, fence });
  }

  /** Waits for each piece of real work in turn and runs what it settles, as its fence, microtasks drained. */
  private async settleRealWork(): Promise<void> {
    for (let next = this.realWork.shift(); next !== undefined; next = this.realWork.shift()) {
      const settle = await next.done;
      if (next.fence !== null && !next.fence.alive) continue;
      try {
        this.runningAs.startEvent(next.fence ?? HARNESS, settle);
        await drainMicrotasks();
      } finally {
        this.runningAs.endEvent();
      }
      if (this.failure !== null) throw this.failure;
    }
  }

  /** The timers of a fence's incarnation (the same object every time), or the harness's. */
  timersFor(fence: Fence | null): DeviceTimers {
    if (fence === null) return this.harnessTimers;
    let timers = this.timersByFence.get(fence);
    if (timers === undefined) this.timersByFence.set(fence, (timers = new DeviceTimers(this, fence)));
    return timers;
  }

  /** Whether only daemon events (or none) are left. */
  get quiescent(): boolean {
    return this.live === 0;
  }

  /** Time of the next queued event, or undefined. */
  get nextEventTime(): number | undefined {
    return this.queue.peek()?.time;
  }

  /** Runs every event due at or before `limit`, then sets the clock to `limit`. */
  async runUntil(limit: number): Promise<void> {
    await this.loop(limit, false);
    if (limit > this.now && Number.isFinite(limit)) this.now = limit;
  }

  /**
   * Runs until only daemon events remain or the next event is past `limit`.
   * Resolves to true if the run went quiescent.
   */
  async runUntilQuiescent(limit = Number.POSITIVE_INFINITY): Promise<boolean> {
    await this.loop(limit, true);
    return this.quiescent;
  }

  /** Called by the guard (and by ports) to stop the run with an error. */
  fail(error: Error): void {
    this.failure ??= error;
  }

  private async loop(limit: number, untilQuiescent: boolean): Promise<void> {
    assert(!this.running, 'the kernel is already running');
    const uninstall = installVirtualGlobals({
      simulated: () => this.runningAs.current() !== undefined,
      world: () => this.currentFence?.world ?? this.harnessWorld,
      timers: () => this.timersFor(this.currentFence),
      timerById: (id) => this.timerNumbers.get(id),
      elapsed: () => this.now,
      fail: (error) => this.fail(error),
    });
    this.running = true;
    try {
      const queue = this.queue;
      /** Whether async work ran since the last real turn. */
      let unsettled = false;
      for (;;) {
        if (this.realWork.length > 0) await this.settleRealWork();
        if (unsettled && queue.peek()?.time !== this.now) {
          // Time is about to move (or the run to end): let Node report rejections first.
          await realTurn();
          unsettled = false;
          if (this.failure !== null) throw this.failure;
        }
        if (untilQuiescent && this.live === 0) break;
        const event = queue.peek();
        if (event === undefined || event.time > limit) break;
        queue.pop();
        const callback = event.callback;
        if (callback === null) continue;
        event.callback = null;
        if (!event.daemon) this.live--;
        this.now = event.time;
        const fence = event.fence;
        if (fence !== null) {
          if (!fence.alive) continue;
          if (fence.frozen) {
            fence.held.push({ callback, async: event.async, daemon: event.daemon });
            continue;
          }
        }
        this.eventsRun++;
        try {
          this.runningAs.startEvent(fence ?? HARNESS, callback);
          if (event.async) {
            await drainMicrotasks();
            unsettled = true;
          }
        } finally {
          this.runningAs.endEvent();
        }
        if (this.failure !== null) throw this.failure;
      }
    } finally {
      this.running = false;
      uninstall();
    }
    if (this.failure !== null) throw this.failure;
  }
}

function seededRandom(stream: RandomStream): () => number {
  return () => stream.next();
}
