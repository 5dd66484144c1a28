import { assert, Kernel, RandomStreams, type KernelOptions } from '../kernel/index.ts';
import {
  DeviceEndpoint, Network, ServerEndpoint,
  type ConnectionType, type DropRule, type HttpHandler, type NetworkConditions, type NodeId, type RealHttpHandler,
} from '../net/index.ts';
import type { RemoteServer } from '../remote/index.ts';
import { SyncServer, type ServerApplyEvent } from '../server/index.ts';
import { TraceRecorder, type FaultKind, type KnownEventType, type RunExpectations, type TraceEventFields, type TraceSink } from '../trace/index.ts';
import { DATE_ORIGIN_MS, DeviceHost, type AppFactory } from './device-host.ts';
import { History } from './history.ts';
import { TaskNames } from './task-names.ts';

export interface WorldOptions<App> {
  seed: number | string;
  scenario?: string;
  engine?: string;
  /** Devices; `user` (default "demo") names the account the device signs in to. */
  devices: Array<{ id: string; skew?: number; drift?: number; user?: string }>;
  network?: Partial<NetworkConditions>;
  /** A stand-in request handler instead of the sync server model (for kernel and network tests). */
  handler?: HttpHandler;
  /** A real server instead of the sync server model (`--server URL`). */
  remote?: RemoteServer;
  /** Builds the app for each incarnation of each device. */
  app: AppFactory<App>;
  /** Launch every app at time 0 (default true). */
  launch?: boolean;
  /** How far a device's context reaches for the virtual globals (kernel.ts); the engine's `portsOnly` allows 'event'. */
  context?: KernelOptions['context'];
  /** What the run's verdict depends on, recorded in run.start (SPEC §5) so a trace is judged as its run was. */
  verdict?: { expect: RunExpectations; objectiveMs: number; finalHeal: boolean };
}

/** The bearer token the simulation gives a scenario user. */
export const tokenOf = (user: string) => `${user}-token`;

/**
 * One simulated run: the kernel, the network, the server and the devices, with every
 * fault and lifecycle change as a method that also records a `fault` event. Like turmoil's
 * `Sim`, it is the one place that knows everybody.
 */
export class World<App> {
  readonly kernel: Kernel;
  readonly trace: TraceRecorder;
  readonly names = new TaskNames();
  /** What users did and saw: the harness's own record (SPEC §5). */
  readonly history: History;
  readonly random: RandomStreams;
  readonly network: Network;
  readonly server: ServerEndpoint;
  /** The sync server model (absent when a stand-in handler or a real server was given). */
  readonly syncServer: SyncServer | null;
  /** The real server the devices talk to instead of the model, if any. */
  readonly remote: RemoteServer | null;
  readonly devices = new Map<string, DeviceHost<App>>();
  /** The network's starting latency, which the final heal restores after any spike. */
  readonly initialLatency: { min: number; max: number };

  constructor(options: WorldOptions<App>) {
    this.kernel = new Kernel({ context: options.context ?? 'continuations' });
    this.trace = new TraceRecorder(() => this.kernel.now);
    this.history = new History(this.trace, this.names);
    this.random = new RandomStreams(options.seed);
    const harnessRandom = this.random.stream('globals');
    this.kernel.harnessWorld = { now: () => DATE_ORIGIN_MS + this.kernel.now, random: () => harnessRandom.next() };
    this.network = new Network(this.kernel, this.random.stream('network'), this.trace, options.network);
    this.initialLatency = { ...this.network.conditions.latency };
    const users = [...new Set(options.devices.map((d) => d.user ?? 'demo'))];
    this.remote = options.remote ?? null;
    this.syncServer = options.handler || this.remote
      ? null
      : new SyncServer({ users: users.map((name) => ({ name, token: tokenOf(name) })), onApply: (e) => this.recordApply(e) });
    const handler = options.handler ?? (this.remote ? this.realHandler(this.remote) : this.syncServer!.handle.bind(this.syncServer));
    const tokenOfUser = (user: string) => (this.remote ? this.remote.tokenOf(user) : tokenOf(user));
    this.server = new ServerEndpoint(this.network, this.kernel, handler);
    this.trace.record('run.start', {
      version: 1,
      scenario: options.scenario ?? 'unnamed',
      seed: options.seed,
      engine: options.engine ?? 'unknown',
      devices: options.devices.map((d) => ({ id: d.id, skew: d.skew ?? 0, ...(d.drift ? { drift: d.drift } : {}), user: d.user ?? 'demo' })),
      ...options.verdict,
    });
    // The starting conditions, as a fault event, so a checker knows the network was faulty from t=0.
    if (options.network && Object.keys(options.network).length > 0) this.fault('network', { ...canonical(options.network), initial: true });
    const deviceTrace = this.namingTrace();
    for (const { id, skew, drift, user } of options.devices) {
      assert(id !== 'server' && !this.devices.has(id), `bad or duplicate device id ${id}`);
      const endpoint = new DeviceEndpoint(id, this.network, this.kernel);
      const random = this.random.stream(`device:${id}`);
      const globalsRandom = this.random.stream(`globals:${id}`);
      const host = new DeviceHost({
        id, kernel: this.kernel, network: this.network, endpoint, random, globalsRandom, app: options.app, trace: deviceTrace,
        skew: skew ?? 0, token: tokenOfUser(user ?? 'demo'), user: user ?? 'demo',
      });
      host.clock.driftPpm = drift ?? 0;
      this.devices.set(id, host);
    }
    if (options.launch ?? true) {
      for (const host of this.devices.values()) this.kernel.schedule(0, () => host.launch(), { async: true });
    }
  }

  device(id: string): DeviceHost<App> {
    const host = this.devices.get(id);
    assert(host !== undefined, `unknown device ${id}`);
    return host;
  }

  /** Runs `action` at virtual time `t` as a step (engine work it starts is drained). */
  at(t: number, action: () => void): void {
    this.kernel.at(t, action, { async: true });
  }

  run(until: number): Promise<void> {
    return this.kernel.runUntil(until);
  }

  runUntilQuiescent(limit?: number): Promise<boolean> {
    return this.kernel.runUntilQuiescent(limit);
  }

  // Faults and lifecycle — each one is recorded.

  partition(groups: NodeId[][]): void {
    this.fault('partition', { groups });
    this.network.partition(groups);
  }

  heal(): void {
    this.fault('heal', {});
    this.network.heal();
  }

  setOffline(device: string, offline: boolean): void {
    this.fault(offline ? 'offline' : 'online', { device });
    this.network.setSwitch(this.device(device).id, !offline);
  }

  setConnection(device: string, connection: ConnectionType): void {
    this.fault('connection', { device, connection });
    this.network.setConnection(this.device(device).id, connection);
  }

  setNetwork(change: Partial<NetworkConditions>): void {
    this.fault('network', canonical(change));
    this.network.setConditions(change);
  }

  addDropRule(rule: DropRule): void {
    this.fault('drop-rule', { ...rule });
    this.network.addDropRule(rule);
  }

  crash(device: string): void {
    this.fault('crash', { device });
    this.device(device).crash();
  }

  restart(device: string): void {
    const host = this.device(device);
    this.fault('restart', { device });
    if (host.running) host.crash();
    host.launch();
  }

  /** Sets a device's wall-clock offset (and drift, in ppm, if given). */
  setSkew(device: string, skew: number, driftPpm?: number): void {
    this.fault('skew', { device, skew, ...(driftPpm !== undefined && { drift: driftPpm }) });
    const clock = this.device(device).clock;
    clock.skew = skew;
    if (driftPpm !== undefined) clock.driftPpm = driftPpm;
  }

  background(device: string): void {
    this.fault('app', { device, state: 'background' });
    this.device(device).background();
  }

  foreground(device: string): void {
    this.fault('app', { device, state: 'foreground' });
    this.device(device).foreground();
  }

  terminate(device: string): void {
    this.fault('app', { device, state: 'terminate' });
    this.device(device).terminate();
  }

  grantRefresh(device: string, ms: number): void {
    this.fault('backgroundRefresh', { device, ms });
    this.device(device).grantRefresh(ms);
  }

  failWrites(device: string, count: number): void {
    this.fault('storage', { device, failWrites: count });
    this.device(device).storage.failWrites += count;
  }

  /** The server answers 503 with Retry-After for `ms`. */
  serverUnavailable(ms: number): void {
    this.fault('unavailable', { ms, until: this.kernel.now + ms });
    (this.remote ?? this.model()).setUnavailable(this.kernel.now + ms);
  }

  serverRateLimit(limit: { capacity: number; refillPerSecond: number } | null): void {
    this.fault('rateLimit', { limit });
    (this.remote ?? this.model()).setRateLimit(limit);
  }

  /** A real server's quota is its own: the step is recorded as one the run could not play. */
  serverQuota(limit: number | null): void {
    if (this.remote) {
      this.trace.recordCustom('remote.unsupported', { step: 'server-quota', limit, reason: 'a real server sets its own quota' });
      return;
    }
    this.fault('quota', { limit });
    this.model().setQuota(limit);
  }

  /** The server process restarts: requests in flight to it are lost; its store is durable. */
  restartServer(): void {
    this.fault('server-restart', {});
    this.server.restart();
    this.syncServer?.restart();
    this.remote?.restart();
  }

  /** Records a fault event. */
  fault(kind: FaultKind, detail: Record<string, unknown>): void {
    this.trace.record('fault', { kind, detail });
  }

  /** The real server on the network: its decisions, read from its replies, are recorded as the model's are. */
  private realHandler(remote: RemoteServer): RealHttpHandler {
    return {
      front: (request, now) => remote.front(request, now),
      forward: async (request) => {
        const { reply, decisions } = await remote.forward(request);
        return { reply, settled: () => decisions.forEach((d) => this.recordApply(d)) };
      },
    };
  }

  private model(): SyncServer {
    assert(this.syncServer !== null, 'this world runs a stand-in handler, not the sync server model');
    return this.syncServer;
  }

  private recordApply(event: ServerApplyEvent): void {
    const task = this.names.nameServerTask(event.id, event.clientId, event.write);
    // An engine need not send the harness's write label (nor send it intact): without a label
    // the harness made, the write is the one of this task that the request's value names
    // (each generated write has a unique title).
    const labelled = event.write !== null && this.names.taskOfWrite(event.write) !== undefined;
    const inferred = labelled ? null : this.history.writeWithValue(task, event.value);
    const write = labelled ? event.write : inferred;
    this.trace.record('server.apply', {
      write, task, result: event.result, version: event.version, cursor: event.cursor, op: event.op, id: event.id, ...(inferred !== null && { inferred: true }),
    });
  }

  /** The trace devices write to: task ids become scenario names. */
  private namingTrace(): TraceSink {
    const { trace, names } = this;
    return {
      record<K extends KnownEventType>(type: K, fields: TraceEventFields[K]): void {
        if (type === 'op' || type === 'device.apply') {
          const f = fields as TraceEventFields['op' | 'device.apply'];
          trace.record(type, { ...fields, task: names.resolve(f.task, f.write) });
        } else trace.record(type, fields);
      },
      recordCustom: (type, fields) => trace.recordCustom(type, fields),
    };
  }
}

/**
 * Network conditions in the one order a scenario file reads them (latency, drop, duplicate,
 * reorder), whatever order the object was built in: a generated run and the rerun of its
 * written file then record the same bytes.
 */
function canonical(conditions: Partial<NetworkConditions>): Record<string, unknown> {
  const { latency, drop, duplicate, reorder, ...rest } = conditions;
  return {
    ...(latency !== undefined && { latency }),
    ...(drop !== undefined && { drop }),
    ...(duplicate !== undefined && { duplicate }),
    ...(reorder !== undefined && { reorder }),
    ...rest,
  };
}
