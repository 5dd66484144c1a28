/**
 * While a simulated run is in progress, the real clock, real timers and Math.random are
 * replaced by functions that fail the run loudly; `setImmediate` is routed into the
 * kernel (fake-indexeddb schedules its work through the global `setImmediate`, looked up
 * at each call). Unhandled promise rejections in simulated code fail the run too. And
 * `structuredClone` is a faster one for plain data (plain-clone.ts).
 */

import { plainStructuredClone, realStructuredClone } from './plain-clone.ts';

/** Simulated code touched something that would make runs differ. */
export class DeterminismViolation extends Error {
  override name = 'DeterminismViolation';
}

/** What the guard needs from the kernel that is running. */
export interface GuardedRun {
  /** Virtual time, for the one library read of the clock we tolerate (see below). */
  now(): number;
  setImmediate: (callback: () => void) => unknown;
  clearImmediate: (handle: unknown) => void;
  fail: (error: Error) => void;
}

const real = {
  Date: globalThis.Date,
  dateNow: Date.now,
  mathRandom: Math.random,
  performanceNow: performance.now,
  setTimeout: globalThis.setTimeout,
  setInterval: globalThis.setInterval,
  setImmediate: globalThis.setImmediate,
  clearImmediate: globalThis.clearImmediate,
};

/** The real setImmediate and nextTick, for the kernel's own microtask drain. */
export const realSetImmediate = real.setImmediate;
export const realNextTick = process.nextTick;

let active: GuardedRun | null = null;

function forbidden(what: string): never {
  const error = new DeterminismViolation(
    `simulated code called ${what}; use the device clock, timers and random ports instead`,
  );
  active?.fail(error);
  throw error;
}

/** Depth of library code in progress that may read virtual time through the Date.now guard. */
let virtualClockReaders = 0;

/**
 * For library code that reads `Date.now()` for a value nothing depends on (fake-indexeddb
 * stamps every event it creates): between `enter` and `leave`, inside a run, it reads
 * virtual time instead of failing the run.
 */
export const virtualClock = {
  enter(): void {
    virtualClockReaders++;
  },
  leave(): void {
    virtualClockReaders--;
  },
};

class GuardedDate extends real.Date {
  constructor(...args: unknown[]) {
    if (args.length === 0) forbidden('new Date()');
    super(...(args as [string | number]));
  }
  static override now(): number {
    if (active !== null && virtualClockReaders > 0) return active.now();
    return forbidden('Date.now()');
  }
}

function onUnhandledRejection(reason: unknown): void {
  const error = reason instanceof Error ? reason : new Error(String(reason));
  active?.fail(new DeterminismViolation(`unhandled promise rejection in simulated code: ${error.stack ?? error.message}`));
}

/** Installs the guard for one run; returns the function that removes it. */
export function installGuard(run: GuardedRun): () => void {
  if (active !== null) {
    throw new DeterminismViolation('two simulated runs overlap in one thread; run them one after another');
  }
  active = run;
  const g = globalThis as Record<string, unknown>;
  g.Date = GuardedDate;
  Math.random = () => forbidden('Math.random()');
  performance.now = () => forbidden('performance.now()');
  g.setTimeout = () => forbidden('setTimeout (real timer)');
  g.setInterval = () => forbidden('setInterval (real timer)');
  g.setImmediate = (callback: (...args: unknown[]) => void, ...args: unknown[]) =>
    run.setImmediate(args.length === 0 ? callback : () => callback(...args));
  g.clearImmediate = (handle: unknown) => run.clearImmediate(handle);
  // Not a matter of determinism but of speed: fake-indexeddb clones every value it stores and reads.
  g.structuredClone = plainStructuredClone;
  process.on('unhandledRejection', onUnhandledRejection);
  return () => {
    g.Date = real.Date;
    Math.random = real.mathRandom;
    performance.now = real.performanceNow;
    g.setTimeout = real.setTimeout;
    g.setInterval = real.setInterval;
    g.setImmediate = real.setImmediate;
    g.clearImmediate = real.clearImmediate;
    g.structuredClone = realStructuredClone;
    process.off('unhandledRejection', onUnhandledRejection);
    active = null;
  };
}
