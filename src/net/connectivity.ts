import type { Fence, Kernel } from '../kernel/index.ts';
import type { NodeId } from './message.ts';
import type { ConnectionType, Network } from './network.ts';

/**
 * What a device's reachability monitor (NWPathMonitor in the design) reports. The network's
 * own declaration (net may not import engines): `world` checks that it fits the engine
 * contract's (engines/ports.ts).
 */
export interface ConnectivityState {
  /** The interface is up: airplane mode off and a wifi or cellular connection. */
  online: boolean;
  /** Online and not cut off from the server by a partition. */
  reachable: boolean;
  connection: ConnectionType;
}

/**
 * One incarnation's reachability monitor, derived from the switch, the connection and
 * partitions: the engine contract's `ConnectivityPort`.
 */
export class ConnectivityMonitor {
  private readonly listeners = new Set<(state: ConnectivityState) => void>();
  private last: ConnectivityState;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly network: Network,
    private readonly kernel: Kernel,
    private readonly device: NodeId,
    private readonly fence: Fence,
    private readonly server: NodeId = 'server',
  ) {
    this.last = this.compute();
    this.unsubscribe = network.onTopologyChange(() => this.check());
  }

  current(): ConnectivityState {
    return this.compute();
  }

  /** Called on every change, as a task of the app (held while it is suspended). */
  subscribe(listener: (state: ConnectivityState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  dispose(): void {
    this.unsubscribe();
    this.listeners.clear();
  }

  private compute(): ConnectivityState {
    const online = this.network.isUp(this.device);
    return {
      online,
      reachable: online && this.network.canReach(this.device, this.server),
      connection: this.network.connection(this.device),
    };
  }

  private check(): void {
    if (!this.fence.alive) return this.dispose();
    const state = this.compute();
    const last = this.last;
    if (state.online === last.online && state.reachable === last.reachable && state.connection === last.connection) return;
    this.last = state;
    this.kernel.schedule(0, () => {
      for (const listener of [...this.listeners]) listener(state);
    }, { fence: this.fence, async: true });
  }
}
