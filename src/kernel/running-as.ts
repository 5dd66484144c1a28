import { AsyncLocalStorage } from 'node:async_hooks';
import type { Fence } from './fence.ts';

/**
 * Which node the running code belongs to (SPEC §3.2, "the current device"): what the
 * virtual globals read and what work scheduled now inherits. Undefined: the code is not
 * simulated (the kernel's own loop, or code outside the run).
 */
export interface RunningAs {
  current(): Fence | undefined;
  /** Runs `work`, and what it causes, as `fence`. */
  run<T>(fence: Fence, work: () => T): T;
  /** Runs an event's callback as `fence`; it stays current until `endEvent`, through the microtask drain. */
  startEvent(fence: Fence, callback: () => void): void;
  endEvent(): void;
  /** Runs `work` as code that is not simulated (real I/O in the middle of a run). */
  outside<T>(work: () => Promise<T>): Promise<T>;
}

/**
 * Through every promise continuation: a continuation runs as the node that awaited, even
 * when another node's event settles the promise (a library's module-level queue shared by
 * devices, say). One AsyncLocalStorage per thread serves every kernel: runs never overlap
 * in a thread. It costs every promise a little, so engines that read only their ports
 * may do without (below).
 */
export class ContinuationScoped implements RunningAs {
  private static readonly storage = new AsyncLocalStorage<Fence>();

  current(): Fence | undefined {
    return ContinuationScoped.storage.getStore();
  }

  run<T>(fence: Fence, work: () => T): T {
    return ContinuationScoped.storage.run(fence, work);
  }

  startEvent(fence: Fence, callback: () => void): void {
    ContinuationScoped.storage.run(fence, callback);
  }

  endEvent(): void {}

  outside<T>(work: () => Promise<T>): Promise<T> {
    return ContinuationScoped.storage.exit(work);
  }
}

/**
 * For the event and the microtasks drained after it: exact for code that does its work in
 * the events its ports give it (every callback of a timer, a delivery or a storage request
 * is an event of its node), and free.
 */
export class EventScoped implements RunningAs {
  private fence: Fence | undefined = undefined;

  current(): Fence | undefined {
    return this.fence;
  }

  run<T>(fence: Fence, work: () => T): T {
    const previous = this.fence;
    this.fence = fence;
    try {
      return work();
    } finally {
      this.fence = previous;
    }
  }

  startEvent(fence: Fence, callback: () => void): void {
    this.fence = fence;
    callback();
  }

  endEvent(): void {
    this.fence = undefined;
  }

  outside<T>(work: () => Promise<T>): Promise<T> {
    // Its continuations run while the kernel waits for it, between events: not simulated.
    const previous = this.fence;
    this.fence = undefined;
    try {
      return work();
    } finally {
      this.fence = previous;
    }
  }
}
