/**
 * Virtual globals (SPEC §3.2): while a run is in progress, code that reads the platform
 * directly — an unmodified library — gets the world of the node it runs as: `Date` and
 * `Math.random` of that device, its fenced timers (and `AbortSignal.timeout` on them),
 * virtual `performance.now` and `timeOrigin`, seeded crypto
 * randoms and a synchronous `crypto.subtle.digest`. Code that is not simulated (the CLI's
 * progress, a test's own assertions) keeps the real ones even then. What cannot be made
 * deterministic fails the run with a DeterminismViolation naming it. Microtasks are never
 * faked: libraries (Dexie) keep transactions alive with them.
 *
 * The properties of `globalThis` are swapped for the run and restored after it; functions
 * of Node's modules, which libraries often capture when they load, are wrapped once and for
 * good (real-io.ts), and ask `simulatedPlatform()` at each call.
 */

import { isSimTimer, type DeviceTimers, type TimerHandle } from './device-timers.ts';
import type { NodeWorld } from './node-world.ts';
import { plainStructuredClone, realStructuredClone } from './plain-clone.ts';
import { digestNow, fillRandom, randomUuid } from './virtual-crypto.ts';
import { virtualDate } from './virtual-date.ts';

/** Simulated code touched something that would make runs differ. */
export class DeterminismViolation extends Error {
  override name = 'DeterminismViolation';
}

/** What the globals ask of the run in progress. */
export interface VirtualPlatform {
  /** Whether the caller is simulated code: an event of the run, or a promise continuation of one. */
  simulated(): boolean;
  /** The clock and random stream of the node the caller runs as. */
  world(): NodeWorld;
  /** The timers of the node the caller runs as (fenced to its incarnation). */
  timers(): DeviceTimers;
  /** The pending timer that browser code kept as a number. */
  timerById(id: number): TimerHandle | undefined;
  /** Virtual ms since the run began: what monotonic clocks read. */
  elapsed(): number;
  fail(error: Error): void;
}

let active: VirtualPlatform | null = null;

/** The run's platform when the caller is simulated code, else null (the real globals apply). */
export function simulatedPlatform(): VirtualPlatform | null {
  return active !== null && active.simulated() ? active : null;
}

/** Fails the run (if simulated code asked) and throws, naming what cannot be virtualised. */
export function refuse(what: string): void {
  const platform = simulatedPlatform();
  if (platform === null) return;
  const error = new DeterminismViolation(
    `simulated code used ${what}, which cannot be made deterministic; use the engine's ports (fetch, indexedDB, timers) instead`,
  );
  platform.fail(error);
  throw error;
}

const g = globalThis as unknown as Record<string, unknown>;

const real = {
  Date: globalThis.Date,
  mathRandom: Math.random,
  performanceNow: performance.now,
  hrtime: process.hrtime,
  setTimeout: globalThis.setTimeout,
  clearTimeout: globalThis.clearTimeout,
  setInterval: globalThis.setInterval,
  clearInterval: globalThis.clearInterval,
  setImmediate: globalThis.setImmediate,
  clearImmediate: globalThis.clearImmediate,
};

/** The real setImmediate and nextTick, for the kernel's own trips through the event loop. */
export const realSetImmediate = real.setImmediate;
export const realNextTick = process.nextTick;

type Callback = (...args: unknown[]) => unknown;

function callable(callback: unknown, args: unknown[], what: string): () => void {
  if (typeof callback !== 'function') {
    throw new TypeError(`${what}: the callback must be a function, got ${typeof callback}`);
  }
  const fn = callback as Callback;
  return args.length === 0 ? (fn as () => void) : () => void fn(...args);
}

/** A handle of ours, a number browser code kept, or a real timer set outside the run. */
function clearAny(handle: unknown, clearReal: (handle: never) => void): void {
  if (isSimTimer(handle)) return handle.clear();
  if (typeof handle === 'number' || typeof handle === 'string') {
    const timer = active?.timerById(Number(handle));
    if (isSimTimer(timer)) return timer.clear();
  }
  clearReal(handle as never);
}

/**
 * Timers set through the globals do not keep the run alive (as if unref'd): a library's
 * timers — autosave intervals, idle checks, retry loops — never end by themselves, and the
 * run's end is decided by the harness's settling polls, not by them. Immediates do: they
 * are the next step of work in progress (fake-indexeddb schedules every request with one).
 */
export const virtualTimers = {
  setTimeout(callback: unknown, ms?: unknown, ...args: unknown[]): unknown {
    const platform = simulatedPlatform();
    if (platform === null) return real.setTimeout(callback as Callback, ms as number, ...args);
    return platform.timers().setTimeout(callable(callback, args, 'setTimeout'), ms as number).unref();
  },
  setInterval(callback: unknown, ms?: unknown, ...args: unknown[]): unknown {
    const platform = simulatedPlatform();
    if (platform === null) return real.setInterval(callback as Callback, ms as number, ...args);
    return platform.timers().setInterval(callable(callback, args, 'setInterval'), ms as number).unref();
  },
  setImmediate(callback: unknown, ...args: unknown[]): unknown {
    const platform = simulatedPlatform();
    if (platform === null) return real.setImmediate(callback as Callback, ...args);
    return platform.timers().setTimeout(callable(callback, args, 'setImmediate'), 0);
  },
  clearTimeout(handle: unknown): void {
    clearAny(handle, real.clearTimeout);
  },
  clearInterval(handle: unknown): void {
    clearAny(handle, real.clearInterval);
  },
  clearImmediate(handle: unknown): void {
    clearAny(handle, real.clearImmediate);
  },
};

const VirtualDate = virtualDate(real.Date, () => {
  const platform = simulatedPlatform();
  return platform === null ? real.Date.now() : platform.world().now();
});

function virtualRandom(): number {
  const platform = simulatedPlatform();
  return platform === null ? real.mathRandom() : platform.world().random();
}

function virtualPerformanceNow(this: Performance): number {
  const platform = simulatedPlatform();
  return platform === null ? real.performanceNow.call(this) : platform.elapsed();
}

const virtualHrtime = Object.assign(
  (previous?: [number, number]): [number, number] => {
    const platform = simulatedPlatform();
    if (platform === null) return real.hrtime(previous);
    const ns = BigInt(platform.elapsed()) * 1_000_000n - (previous ? BigInt(previous[0]) * 1_000_000_000n + BigInt(previous[1]) : 0n);
    return [Number(ns / 1_000_000_000n), Number(ns % 1_000_000_000n)];
  },
  {
    bigint: (): bigint => {
      const platform = simulatedPlatform();
      return platform === null ? real.hrtime.bigint() : BigInt(platform.elapsed()) * 1_000_000n;
    },
  },
);

/** The real `performance.timeOrigin` getter (Performance.prototype's), which an own property shadows for the run. */
const realTimeOrigin = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(performance), 'timeOrigin')!.get!;

/**
 * `performance.timeOrigin` of the caller's node: the instant its clock read when the run's
 * virtual time began, so `timeOrigin + performance.now()` is its `Date.now()`.
 */
function virtualTimeOrigin(this: Performance): number {
  const platform = simulatedPlatform();
  return platform === null ? realTimeOrigin.call(this) : platform.world().now() - platform.elapsed();
}

const realAbortTimeout = AbortSignal.timeout;
const MAX_ABORT_DELAY = 2 ** 32 - 1;

/** `AbortSignal.timeout(ms)` on the caller's timers: it aborts at virtual time, with Node's TimeoutError. */
function virtualAbortTimeout(this: typeof AbortSignal, delay: number): AbortSignal {
  const platform = simulatedPlatform();
  if (platform === null) return realAbortTimeout.call(this, delay);
  if (typeof delay !== 'number' || !Number.isInteger(delay) || delay < 0 || delay > MAX_ABORT_DELAY) {
    throw new RangeError(`AbortSignal.timeout: the delay must be an integer from 0 to ${MAX_ABORT_DELAY}, got ${String(delay)}`);
  }
  const controller = new AbortController();
  platform.timers().setTimeout(() => controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')), delay).unref();
  return controller.signal;
}

/**
 * Platform objects that would talk to the real world, or deliver on the real event loop
 * (a MessageChannel's messages arrive in a later real macrotask, detached from virtual
 * time): present in Node 20 or not, each refused by name.
 */
const REAL_WORLD_GLOBALS = ['fetch', 'WebSocket', 'BroadcastChannel', 'MessageChannel', 'EventSource', 'XMLHttpRequest', 'Worker', 'SharedWorker'];

/** `fn` (a function or a class) that refuses simulated callers and is itself for everyone else. */
export function refusing<F extends object>(fn: F, what: string): F {
  const target = fn as unknown as Callback;
  const wrapper = function (this: unknown, ...args: unknown[]): unknown {
    refuse(what);
    return new.target === undefined ? target.apply(this, args) : Reflect.construct(target, args, new.target);
  };
  Object.setPrototypeOf(wrapper, fn); // static members (WebSocket.OPEN, ...)
  if ('prototype' in target) wrapper.prototype = target.prototype;
  return wrapper as unknown as F;
}

const refusingGlobals = REAL_WORLD_GLOBALS.filter((name) => typeof g[name] === 'function').map((name) => {
  const original = g[name] as object;
  return { name, original, wrapper: refusing(original, name) };
});

/** The seeded crypto of the caller's node, as own properties shadowing the Crypto instance's methods. */
const webCrypto = globalThis.crypto;
const subtle = webCrypto.subtle;
const SUBTLE_REFUSED = ['encrypt', 'decrypt', 'sign', 'verify', 'generateKey', 'deriveKey', 'deriveBits', 'importKey', 'exportKey', 'wrapKey', 'unwrapKey'] as const;

const cryptoOverrides: Record<string, unknown> = {
  randomUUID(): string {
    const platform = simulatedPlatform();
    return platform === null ? Crypto.prototype.randomUUID.call(webCrypto) : randomUuid(() => platform.world().random());
  },
  getRandomValues<T extends ArrayBufferView>(view: T): T {
    const platform = simulatedPlatform();
    if (platform === null) return Crypto.prototype.getRandomValues.call(webCrypto, view as never) as T;
    return fillRandom(view, () => platform.world().random());
  },
};

const subtleOverrides: Record<string, unknown> = {
  digest(algorithm: unknown, data: unknown): Promise<ArrayBuffer> {
    if (simulatedPlatform() === null) return SubtleCrypto.prototype.digest.call(subtle, algorithm as never, data as never);
    return digestNow(algorithm, data);
  },
};
for (const name of SUBTLE_REFUSED) {
  const method = SubtleCrypto.prototype[name] as unknown as Callback;
  subtleOverrides[name] = function (this: unknown, ...args: unknown[]) {
    refuse(`crypto.subtle.${name}`);
    return method.apply(subtle, args);
  };
}

function shadow(target: object, overrides: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(overrides)) {
    Object.defineProperty(target, name, { value, configurable: true, writable: true, enumerable: false });
  }
}

function unshadow(target: object, overrides: Record<string, unknown>): void {
  for (const name of Object.keys(overrides)) delete (target as Record<string, unknown>)[name];
}

function onUnhandledRejection(reason: unknown): void {
  const error = reason instanceof Error ? reason : new Error(String(reason));
  active?.fail(new DeterminismViolation(`unhandled promise rejection in simulated code: ${error.stack ?? error.message}`));
}

/** Installs the virtual globals for one run; returns the function that restores the real ones. */
export function installVirtualGlobals(platform: VirtualPlatform): () => void {
  if (active !== null) {
    throw new DeterminismViolation('two simulated runs overlap in one thread; run them one after another');
  }
  active = platform;
  // Local time is UTC in a run, on every machine: a library that formats local dates gives
  // the same bytes in Tokyo and in CI. (Node resets its time zone when TZ is assigned.)
  const timeZone = process.env.TZ;
  process.env.TZ = 'UTC';
  g.Date = VirtualDate;
  Math.random = virtualRandom;
  performance.now = virtualPerformanceNow;
  process.hrtime = virtualHrtime as typeof process.hrtime;
  Object.defineProperty(performance, 'timeOrigin', { get: virtualTimeOrigin, configurable: true, enumerable: true });
  AbortSignal.timeout = virtualAbortTimeout;
  Object.assign(g, virtualTimers);
  for (const { name, wrapper } of refusingGlobals) g[name] = wrapper;
  shadow(webCrypto, cryptoOverrides);
  shadow(subtle, subtleOverrides);
  // Not a matter of determinism but of speed: fake-indexeddb clones every value it stores and reads.
  g.structuredClone = plainStructuredClone;
  process.on('unhandledRejection', onUnhandledRejection);
  return () => {
    g.Date = real.Date;
    Math.random = real.mathRandom;
    performance.now = real.performanceNow;
    process.hrtime = real.hrtime;
    delete (performance as { timeOrigin?: number }).timeOrigin;
    AbortSignal.timeout = realAbortTimeout;
    g.setTimeout = real.setTimeout;
    g.clearTimeout = real.clearTimeout;
    g.setInterval = real.setInterval;
    g.clearInterval = real.clearInterval;
    g.setImmediate = real.setImmediate;
    g.clearImmediate = real.clearImmediate;
    for (const { name, original } of refusingGlobals) g[name] = original;
    unshadow(webCrypto, cryptoOverrides);
    unshadow(subtle, subtleOverrides);
    g.structuredClone = realStructuredClone;
    process.off('unhandledRejection', onUnhandledRejection);
    if (timeZone === undefined) delete process.env.TZ;
    else process.env.TZ = timeZone;
    active = null;
  };
}
