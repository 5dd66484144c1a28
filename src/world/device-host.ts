import { DeviceClock, DeviceTimers, Fence, assert, type Kernel, type RandomStream, type ScheduledEvent, type TimerPort } from '../kernel/index.ts';
import type { TraceSink } from '../trace/index.ts';
import { ConnectivityMonitor, type ConnectivityPort, type DeviceEndpoint, type FetchPort, type Network } from '../net/index.ts';
import type { AppEvent, AppLifecyclePort, AppState } from './app-lifecycle.ts';
import { DeviceStorage, type StorageSession } from './device-storage.ts';
import { FakeIDBKeyRange } from './fake-indexeddb.ts';

/** Everything one incarnation of an app may touch: the ports of SPEC §3. */
export interface DevicePorts {
  deviceId: string;
  incarnation: number;
  clock: { now(): number };
  timers: TimerPort;
  indexedDB: IDBFactory;
  /** The IndexedDB key range constructor, as the global a browser has. */
  IDBKeyRange: typeof IDBKeyRange;
  fetch: FetchPort;
  connectivity: ConnectivityPort;
  app: AppLifecyclePort;
  random: () => number;
  /** The run's trace; silent once this incarnation is dead. */
  trace: TraceSink;
  /** How to reach the sync server: the bearer token of this device's user. */
  server: { token: string };
}

/** Builds the app (engine) for one incarnation; `start` resumes from storage. */
export type AppFactory<App> = (ports: DevicePorts) => App;

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
  private appState: AppState = 'terminated';
  private refreshUntil = -1;
  private refreshEnd: ScheduledEvent | null = null;
  /** Killed by the OS (not crashed): the user's next action relaunches it. */
  terminatedByOs = false;

  constructor(
    readonly id: string,
    private readonly kernel: Kernel,
    private readonly network: Network,
    private readonly endpoint: DeviceEndpoint,
    private readonly random: RandomStream,
    private readonly factory: AppFactory<App>,
    private readonly trace: TraceSink,
    skew = 0,
    private readonly token: string,
    /** The account this device signs in to. */
    readonly user = 'demo',
  ) {
    this.clock = new DeviceClock(kernel, skew);
    // When a failure armed by a `storage` step actually happens: the checkers' fault timeline needs it.
    this.storage.onFailedWrite = (left) => trace.record('fault', { kind: 'storage-failure', detail: { device: id, left } });
  }

  get state(): AppState {
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

  get incarnation(): number {
    return this.current?.number ?? 0;
  }

  /** Starts a new incarnation of the app over the same disk. */
  launch(state: 'foreground' | 'background' = 'foreground'): App {
    assert(this.current === null, `device ${this.id} is already running`);
    const number = ++this.incarnations;
    this.terminatedByOs = false;
    const fence = new Fence(`${this.id}#${number}`);
    this.endpoint.reincarnate(fence);
    const storage = this.storage.session(this.kernel, fence);
    const connectivity = new ConnectivityMonitor(this.network, this.kernel, this.id, fence);
    const listeners = new Set<(event: AppEvent) => void>();
    const ports: DevicePorts = {
      deviceId: this.id,
      incarnation: number,
      clock: { now: () => this.clock.now() },
      timers: new DeviceTimers(this.kernel, fence),
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
    let app!: App;
    this.kernel.runAs(fence, () => {
      app = this.factory(ports);
    });
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
