import { assert, Kernel, RandomStreams } from '../kernel/index.ts';
import {
  DeviceEndpoint, Network, ServerEndpoint,
  type ConnectionType, type DropRule, type HttpHandler, type NetworkConditions, type NodeId,
} from '../net/index.ts';
import { TraceRecorder, type FaultKind } from '../trace/index.ts';
import { DeviceHost, type AppFactory } from './device-host.ts';

export interface WorldOptions<App> {
  seed: number | string;
  scenario?: string;
  engine?: string;
  devices: Array<{ id: string; skew?: number }>;
  network?: Partial<NetworkConditions>;
  /** The server model's request handler. */
  handler: HttpHandler;
  /** Builds the app for each incarnation of each device. */
  app: AppFactory<App>;
  /** Launch every app at time 0 (default true). */
  launch?: boolean;
}

/**
 * One simulated run: the kernel, the network, the server and the devices, with every
 * fault and lifecycle change as a method that also records a `fault` event. Like turmoil's
 * `Sim`, it is the one place that knows everybody.
 */
export class World<App> {
  readonly kernel = new Kernel();
  readonly trace = new TraceRecorder(() => this.kernel.now);
  readonly random: RandomStreams;
  readonly network: Network;
  readonly server: ServerEndpoint;
  readonly devices = new Map<string, DeviceHost<App>>();

  constructor(options: WorldOptions<App>) {
    this.random = new RandomStreams(options.seed);
    this.network = new Network(this.kernel, this.random.stream('network'), this.trace, options.network);
    this.server = new ServerEndpoint(this.network, this.kernel, options.handler);
    this.trace.record('run.start', {
      version: 1,
      scenario: options.scenario ?? 'unnamed',
      seed: options.seed,
      engine: options.engine ?? 'unknown',
      devices: options.devices.map((d) => ({ id: d.id, skew: d.skew ?? 0 })),
    });
    for (const { id, skew } of options.devices) {
      assert(id !== 'server' && !this.devices.has(id), `bad or duplicate device id ${id}`);
      const endpoint = new DeviceEndpoint(id, this.network, this.kernel);
      const host = new DeviceHost(id, this.kernel, this.network, endpoint, this.random.stream(`device:${id}`), options.app, this.trace, skew ?? 0);
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
    this.fault('network', { ...change });
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

  setSkew(device: string, skew: number): void {
    this.fault('skew', { device, skew });
    this.device(device).clock.skew = skew;
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

  restartServer(): void {
    this.fault('server-restart', {});
    this.server.restart();
  }

  /** Records a fault event; for faults applied elsewhere (the server model's own). */
  fault(kind: FaultKind, detail: Record<string, unknown>): void {
    this.trace.record('fault', { kind, detail });
  }
}
