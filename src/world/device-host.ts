import type { AppEvent, EnginePorts } from '../engines/ports.ts';
import { DeviceClock, Fence, assert, type Kernel, type RandomStream, type ScheduledEvent } from '../kernel/index.ts';
import { ConnectivityMonitor, type DeviceEndpoint, type Network } from '../net/index.ts';
import type { TraceSink } from '../trace/index.ts';
import type { AppProcessState } from './app-lifecycle.ts';
import { DeviceStorage, type StorageSession } from './device-storage.ts';
import { FakeIDBKeyRange } from './fake-indexeddb.ts';

/**
 * Where virtual time 0 falls for code that reads `Date` (SPEC §3.2): 2026-01-01T00:00:00Z,
 * so that libraries see realistic dates (never 1970, never negative under a slow clock).
 * The clock port counts from 0, as it always has, so traces of engines that read only their
 * ports stay as they were; the two differ by this constant alone.
 */
export const DATE_ORIGIN_MS = Date.UTC(2026, 0, 1);

/** Builds the app (engine) for one incarnation; `start` resumes from storage. */
export type AppFactory<App> = (ports: EnginePorts) => App;

export interface DeviceHostOptions<App> {
  id: string;
  kernel: Kernel;
  network: Network;
  endpoint: DeviceEndpoint;
  /** The device's seeded stream: what `ports.random` draws from. */
  random: RandomStream;
  /** The device's stream for third-party code that asks the platform (`Math.random`, crypto): apart, so it moves no port draw. */
  globalsRandom: RandomStream;
  app: AppFactory<App>;
  trace: TraceSink;
  /** The device clock's offset from virtual time (ms). */
  skew?: number;
  /** The bearer token of the device's user (`ports.server.token`). */
  token: string;
  /** The account this device signs in to. */
  user?: string;
}

interface Incarnation<App> {
  number: number;
  fence: Fence;
  storage: StorageSession;
  connectivity: ConnectivityMonitor;
  listeners: Set<(event: AppEvent) => void>;
  app: App;
}

/**
 * A simulated phone: a clock, a disk that survives crashes, a network endpoint, and the
 * app process, which may crash, be killed by the OS, go to the background (suspended:
 * its work is held) and get background refresh windows.
 */
export class DeviceHost<App> {
  readonly clock: DeviceClock;
  readonly storage = new DeviceStorage();
  private current: Incarnation<App> | null = null;
  private incarnations = 0;
  private appState: AppProcessState = 'terminated';
  private refreshUntil = -1;
  private refreshEnd: ScheduledEvent | null = null;
  /** Killed by the OS (not crashed): the user's next action relaunches it. */
  terminatedByOs = false;

  readonly id: string;
  /** The account this device signs in to. */
  readonly user: string;
  private readonly kernel: Kernel;
  private readonly network: Network;
  private readonly endpoint: DeviceEndpoint;
  private readonly random: RandomStream;
  private readonly globalsRandom: RandomStream;
  private readonly factory: AppFactory<App>;
  private readonly trace: TraceSink;
  private readonly token: string;

  constructor(options: DeviceHostOptions<App>) {
    const { id, kernel, trace } = options;
    this.id = id;
    this.user = options.user ?? 'demo';
    this.kernel = kernel;
    this.network = options.network;
    this.endpoint = options.endpoint;
    this.random = options.random;
    this.globalsRandom = options.globalsRandom;
    this.factory = options.app;
    this.trace = trace;
    this.token = options.token;
    this.clock = new DeviceClock(kernel, options.skew ?? 0);
    // When a failure armed by a `storage` step actually happens: the checkers' fault timeline needs it.
    this.storage.onFailedWrite = (left) => trace.record('fault', { kind: 'storage-failure', detail: { device: id, left } });
  }

  get state(): AppProcessState {
    return this.appState;
  }

  get running(): boolean {
    return this.current !== null;
  }

  /** The live app; asserts one is running. */
  get app(): App {
    assert(this.current !== null, `device ${this.id} is not running`);
    return this.current.app;
  }

  get fence(): Fence | null {
    return this.current?.fence ?? null;
  }

  /** Runs `work` as this device's app: the globals it and its promise continuations read are the device's. */
  asApp<T>(work: () => T): T {
    return this.kernel.runAs(this.fence, work);
  }

  get incarnation(): number {
    return this.current?.number ?? 0;
  }

  /** Starts a new incarnation of the app over the same disk. */
  launch(state: 'foreground' | 'background' = 'foreground'): App {
    assert(this.current === null, `device ${this.id} is already running`);
    const number = ++this.incarnations;
    this.terminatedByOs = false;
    const fence = new Fence(`${this.id}#${number}`);
    // What unmodified library code in this app reads from the platform (SPEC §3.2).
    fence.world = { now: () => DATE_ORIGIN_MS + this.clock.now(), random: () => this.globalsRandom.next() };
    this.endpoint.reincarnate(fence);
    const storage = this.storage.session(this.kernel, fence);
    const connectivity = new ConnectivityMonitor(this.network, this.kernel, this.id, fence);
    const listeners = new Set<(event: AppEvent) => void>();
    // Typed as the engine contract: this is where the simulator's kernel, net and world
    // parts are checked to fit the ports engines are written against.
    const ports: EnginePorts = {
      deviceId: this.id,
      incarnation: number,
      clock: { now: () => this.clock.now() },
      timers: this.kernel.timersFor(fence),
      indexedDB: storage.indexedDB,
      IDBKeyRange: FakeIDBKeyRange,
      fetch: this.endpoint.fetchFor(fence),
      connectivity,
      app: {
        state: () => (this.appState === 'foreground' ? 'foreground' : 'background'),
        inRefreshWindow: () => this.kernel.now < this.refreshUntil,
        subscribe: (listener) => {
          listeners.add(listener);
          return () => listeners.delete(listener);
        },
      },
      random: () => this.random.next(),
      trace: fencedTrace(this.trace, fence),
      server: { token: this.token },
    };
    this.appState = state;
    const app = this.kernel.runAs(fence, () => this.factory(ports));
    this.current = { number, fence, storage, connectivity, listeners, app };
    if (state === 'background' && !this.inRefreshWindow()) fence.frozen = true;
    return app;
  }

  /** The process dies: memory, timers, pending callbacks and uncommitted transactions are lost. */
  crash(): void {
    const current = this.current;
    if (current === null) return;
    current.fence.close();
    current.storage.crash();
    current.connectivity.dispose();
    this.current = null;
    this.appState = 'terminated';
  }

  /** Killed by the OS while suspended: the same as a crash for the app. */
  terminate(): void {
    this.crash();
    this.terminatedByOs = true;
  }

  background(): void {
    if (this.current === null || this.appState === 'background') return;
    this.appState = 'background';
    this.notify({ type: 'background' });
    // The app handles the notification, then is suspended unless a refresh window is open.
    this.kernel.schedule(0, () => this.suspendIfIdle());
  }

  foreground(): void {
    if (this.current === null) this.launch('foreground');
    if (this.appState === 'foreground') return;
    this.appState = 'foreground';
    this.kernel.thaw(this.current!.fence);
    this.notify({ type: 'foreground' });
  }

  /** The OS grants a background refresh window of `ms`; a terminated app is launched in the background for it. */
  grantRefresh(ms: number): void {
    if (this.current === null) this.launch('background');
    this.refreshUntil = Math.max(this.refreshUntil, this.kernel.now + ms);
    if (this.refreshEnd) this.kernel.cancel(this.refreshEnd);
    this.refreshEnd = this.kernel.at(this.refreshUntil, () => {
      this.refreshEnd = null;
      this.suspendIfIdle();
    });
    if (this.appState === 'background') {
      this.kernel.thaw(this.current!.fence);
      this.notify({ type: 'refresh', until: this.clock.now() + (this.refreshUntil - this.kernel.now) });
    }
  }

  private inRefreshWindow(): boolean {
    return this.kernel.now < this.refreshUntil;
  }

  private suspendIfIdle(): void {
    if (this.current !== null && this.appState === 'background' && !this.inRefreshWindow()) this.current.fence.frozen = true;
  }

  private notify(event: AppEvent): void {
    const current = this.current;
    if (current === null) return;
    this.kernel.schedule(0, () => {
      for (const listener of [...current.listeners]) listener(event);
    }, { fence: current.fence, async: true });
  }
}

function fencedTrace(trace: TraceSink, fence: Fence): TraceSink {
  return {
    record: (type, fields) => {
      if (fence.alive) trace.record(type, fields);
    },
    recordCustom: (type, fields) => {
      if (fence.alive) trace.recordCustom(type, fields);
    },
  };
}
