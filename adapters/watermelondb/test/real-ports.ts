/**
 * Ports on real time for unit tests outside a simulated run: the device's disk is a
 * fake-indexeddb factory, the server is syncsim's model behind msw, fetch is the real one.
 * Good for the mapping; determinism is tested through syncsim runs (determinism.test.ts).
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import type { AppEvent, ConnectivityState, EnginePorts, TimerHandle } from 'syncsim';

export const BASE = 'https://sync.test';

export interface TestDevice {
  ports: EnginePorts;
  setOnline(online: boolean): void;
  /** Timers this device started, to clear at the end of a test. */
  stop(): void;
}

export function testDevice(id: string, token: string, disk: IDBFactory = new IDBFactory(), incarnation = 1): TestDevice {
  let state: ConnectivityState = { online: true, reachable: true, connection: 'wifi' };
  const listeners = new Set<(s: ConnectivityState) => void>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let seed = 1;
  const handle = (t: ReturnType<typeof setTimeout>): TimerHandle => t as unknown as TimerHandle;
  const ports: EnginePorts = {
    deviceId: id,
    incarnation,
    clock: { now: () => Date.now() },
    timers: {
      setTimeout: (cb, ms) => {
        const t = setTimeout(() => { timers.delete(t); cb(); }, ms);
        timers.add(t);
        return handle(t);
      },
      clearTimeout: (h) => h && clearTimeout(h as unknown as ReturnType<typeof setTimeout>),
      setInterval: (cb, ms) => handle(setInterval(cb, ms)),
      clearInterval: (h) => h && clearInterval(h as unknown as ReturnType<typeof setInterval>),
    },
    indexedDB: disk,
    IDBKeyRange: IDBKeyRange as unknown as typeof globalThis.IDBKeyRange,
    fetch: (path, init) => fetch(`${BASE}${path}`, init as RequestInit),
    connectivity: {
      current: () => state,
      subscribe: (fn) => { listeners.add(fn); return () => listeners.delete(fn); },
    },
    app: { state: () => 'foreground', inRefreshWindow: () => false, subscribe: (_fn: (e: AppEvent) => void) => () => {} },
    random: () => { seed = (seed * 16807) % 2147483647; return seed / 2147483647; },
    trace: { record: () => {}, recordCustom: () => {} },
    server: { token },
  };
  return {
    ports,
    setOnline(online) {
      state = { online, reachable: online, connection: online ? 'wifi' : 'none' };
      for (const fn of listeners) fn(state);
    },
    stop() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
  };
}

/** Polls `condition` every 20 ms, at most `limitMs`. */
export async function until(condition: () => Promise<boolean> | boolean, limitMs = 5_000): Promise<void> {
  for (let waited = 0; waited < limitMs; waited += 20) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`condition not met within ${limitMs} ms`);
}
