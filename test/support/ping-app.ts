import type { EnginePorts } from '../../src/engines/ports.ts';

/** Promise wrapper for one IndexedDB request. */
function done<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function committed(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onabort = () => reject(tx.error ?? new Error('transaction aborted'));
  });
}

export interface PingApp {
  ports: EnginePorts;
  /** Pings answered, in order, by this incarnation. */
  answered: number[];
  /** What this incarnation found on disk at start. */
  startedWith: number | null;
  /** Increments the durable counter; resolves to the new value (or rejects if the write failed). */
  bump(): Promise<number>;
  ping(): Promise<void>;
  read(): Promise<number>;
}

/**
 * A small app for kernel and network tests: a durable counter in IndexedDB, pings to the
 * server with a timeout, and a periodic ping while running.
 */
export function pingApp(options: { periodMs?: number; timeoutMs?: number } = {}) {
  return (ports: EnginePorts): PingApp => {
    const dbReady = done(
      (() => {
        const request = ports.indexedDB.open('app', 1);
        request.onupgradeneeded = () => request.result.createObjectStore('kv');
        return request;
      })(),
    );
    const app: PingApp = {
      ports,
      answered: [],
      startedWith: null,
      async read() {
        const db = await dbReady;
        const value = await done(db.transaction('kv', 'readonly').objectStore('kv').get('counter'));
        return (value as number | undefined) ?? 0;
      },
      async bump() {
        const db = await dbReady;
        const tx = db.transaction('kv', 'readwrite');
        const store = tx.objectStore('kv');
        const value = ((await done(store.get('counter'))) as number | undefined) ?? 0;
        store.put(value + 1, 'counter');
        await committed(tx);
        ports.trace.recordCustom('app.bump', { device: ports.deviceId, value: value + 1 });
        return value + 1;
      },
      async ping() {
        const controller = new AbortController();
        const timer = ports.timers.setTimeout(() => controller.abort(), options.timeoutMs ?? 1000);
        try {
          const response = await ports.fetch('/ping', { method: 'POST', body: JSON.stringify({ from: ports.deviceId }), signal: controller.signal });
          const reply = (await response.json()) as { n: number };
          app.answered.push(reply.n);
          ports.trace.recordCustom('app.pong', { device: ports.deviceId, n: reply.n });
        } catch (error) {
          ports.trace.recordCustom('app.ping-failed', { device: ports.deviceId, error: (error as Error).name });
        } finally {
          ports.timers.clearTimeout(timer);
        }
      },
    };
    void app.read().then((value) => {
      app.startedWith = value;
    });
    if (options.periodMs) {
      ports.timers.setInterval(() => {
        void app.bump().then(() => app.ping(), () => undefined);
      }, options.periodMs).unref();
    }
    return app;
  };
}
