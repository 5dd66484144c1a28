import { assert, type Kernel, type RandomStream } from '../kernel/index.ts';
import type { DropReason, TraceSink } from '../trace/index.ts';
import { ActiveDropRule, checkConditions, defaultConditions, type DropRule, type NetworkConditions } from './conditions.ts';
import type { HttpShape, Message, NetworkNode, NodeId } from './message.ts';
import { PartitionTable } from './partitions.ts';

export type ConnectionType = 'wifi' | 'cellular' | 'none';

/** A node's own radio: the airplane-mode switch and the kind of connection it has. */
interface Link {
  switchOn: boolean;
  connection: ConnectionType;
}

/** What to send: the HTTP shape plus, for replies, the request answered and the status. */
export interface Outgoing extends HttpShape {
  reply?: Message;
  status?: number;
}

export interface NetworkStats {
  sent: number;
  delivered: number;
  dropped: number;
  duplicated: number;
}

/**
 * The simulated network. Every message goes through the fault model in a fixed order —
 * sender offline, partition, targeted drop rules, random drop — then gets a latency from
 * the seeded stream (FIFO per link unless reorder is on) and may be duplicated. At delivery
 * it is checked again: the recipient offline, a partition, or a recipient incarnation that
 * died since the send all lose it. Every message id ends in exactly one deliver or drop.
 */
export class Network {
  readonly stats: NetworkStats = { sent: 0, delivered: 0, dropped: 0, duplicated: 0 };
  readonly partitions = new PartitionTable();
  private conditionsNow: NetworkConditions = defaultConditions;
  private readonly nodes = new Map<NodeId, NetworkNode>();
  private readonly links = new Map<NodeId, Link>();
  private readonly lastDelivery = new Map<string, number>();
  private rules: ActiveDropRule[] = [];
  private nextId = 1;
  private inFlightCount = 0;
  private readonly topologyListeners = new Set<() => void>();

  constructor(
    private readonly kernel: Kernel,
    private readonly random: RandomStream,
    private readonly trace: TraceSink,
    conditions?: Partial<NetworkConditions>,
  ) {
    if (conditions) this.setConditions(conditions);
  }

  get conditions(): Readonly<NetworkConditions> {
    return this.conditionsNow;
  }

  /** Messages sent (or duplicated) and neither delivered nor dropped yet. */
  get inFlight(): number {
    return this.inFlightCount;
  }

  addNode(node: NetworkNode): void {
    assert(!this.nodes.has(node.id), `duplicate network node ${node.id}`);
    this.nodes.set(node.id, node);
    this.links.set(node.id, { switchOn: true, connection: 'wifi' });
  }

  setConditions(change: Partial<NetworkConditions>): void {
    const next = { ...this.conditionsNow, ...change, latency: { ...this.conditionsNow.latency, ...change.latency } };
    checkConditions(next);
    this.conditionsNow = next;
  }

  addDropRule(rule: DropRule): void {
    this.rules.push(new ActiveDropRule(rule));
  }

  clearDropRules(): void {
    this.rules = [];
  }

  partition(groups: NodeId[][]): void {
    for (const group of groups) for (const node of group) assert(this.nodes.has(node), `unknown node ${node} in partition`);
    this.partitions.partition(groups);
    this.topologyChanged();
  }

  heal(): void {
    this.partitions.heal();
    this.topologyChanged();
  }

  /** The node's airplane-mode switch. */
  setSwitch(node: NodeId, on: boolean): void {
    this.link(node).switchOn = on;
    this.topologyChanged();
  }

  setConnection(node: NodeId, connection: ConnectionType): void {
    this.link(node).connection = connection;
    this.topologyChanged();
  }

  connection(node: NodeId): ConnectionType {
    return this.link(node).connection;
  }

  /** The node's interface is up: switch on and some connection. */
  isUp(node: NodeId): boolean {
    const link = this.link(node);
    return link.switchOn && link.connection !== 'none';
  }

  /** Both ends up and no partition between them. */
  canReach(from: NodeId, to: NodeId): boolean {
    return this.isUp(from) && this.isUp(to) && this.partitions.connected(from, to);
  }

  /** Called after any change of switches, connections or partitions. */
  onTopologyChange(listener: () => void): () => void {
    this.topologyListeners.add(listener);
    return () => this.topologyListeners.delete(listener);
  }

  /**
   * Sends a message; returns it, or null when the sender's own interface is down (the
   * caller learns at once, as a real client does with no network).
   */
  send(from: NodeId, to: NodeId, content: Outgoing): Message | null {
    const recipient = this.nodes.get(to);
    assert(recipient !== undefined, `unknown recipient ${to}`);
    const request = content.reply;
    const message: Message = {
      id: this.nextId++,
      from,
      to,
      method: content.method,
      path: content.path,
      headers: content.headers,
      body: content.body,
      reply: request?.id,
      status: content.status,
      fromFence: this.nodes.get(from)?.fence ?? null,
      toFence: request ? request.fromFence : recipient.fence,
    };
    this.stats.sent++;
    this.inFlightCount++;
    this.trace.record('msg.send', this.describe(message));
    if (!this.isUp(from)) {
      this.drop(message, 'offline');
      return null;
    }
    const reason = this.faultAtSend(message);
    if (reason !== null) {
      this.drop(message, reason);
      return message;
    }
    this.dispatch(message);
    if (this.random.chance(this.conditionsNow.duplicate)) this.duplicate(message);
    return message;
  }

  private faultAtSend(message: Message): DropReason | null {
    if (!this.partitions.connected(message.from, message.to)) return 'partition';
    const rule = this.rules.find((r) => r.matches(message.from, message.to, message.method, message.path));
    if (rule !== undefined) {
      rule.remaining--;
      if (rule.remaining === 0) this.rules = this.rules.filter((r) => r !== rule);
      return 'rule';
    }
    if (this.random.chance(this.conditionsNow.drop)) return 'random';
    return null;
  }

  private duplicate(original: Message): void {
    const copy: Message = { ...original, id: this.nextId++ };
    this.stats.duplicated++;
    this.inFlightCount++;
    const fields = this.describe(copy);
    this.trace.record('msg.dup', { msg: fields.msg, of: original.id, from: fields.from, to: fields.to, method: fields.method, path: fields.path, reply: fields.reply, status: fields.status });
    this.dispatch(copy);
  }

  /** Picks the delivery time (FIFO per link unless reorder) and schedules the delivery. */
  private dispatch(message: Message): void {
    const { latency, reorder } = this.conditionsNow;
    let time = this.kernel.now + this.random.int(latency.min, latency.max);
    if (!reorder) {
      const link = `${message.from}\u0000${message.to}`;
      time = Math.max(time, this.lastDelivery.get(link) ?? 0);
      this.lastDelivery.set(link, time);
    }
    this.kernel.at(time, () => this.deliver(message));
  }

  private deliver(message: Message): void {
    const fence = message.toFence;
    if (fence !== null && !fence.alive) {
      if (message.to !== 'server') return this.drop(message, 'crashed');
      this.drop(message, 'restarted');
      return this.resetConnection(message);
    }
    if (!this.isUp(message.to)) return this.drop(message, 'offline');
    if (!this.partitions.connected(message.from, message.to)) return this.drop(message, 'partition');
    this.stats.delivered++;
    this.inFlightCount--;
    this.trace.record('msg.deliver', this.describe(message));
    this.nodes.get(message.to)!.receive(message);
  }

  /** A restarted server resets the connection: the sender learns of it one trip later. */
  private resetConnection(request: Message): void {
    const sender = this.nodes.get(request.from);
    if (request.reply !== undefined || sender?.connectionReset === undefined) return;
    const { latency } = this.conditionsNow;
    this.kernel.schedule(this.random.int(latency.min, latency.max), () => sender.connectionReset!(request));
  }

  private drop(message: Message, reason: DropReason): void {
    this.stats.dropped++;
    this.inFlightCount--;
    const fields = this.describe(message) as ReturnType<Network['describe']> & { reason: DropReason };
    fields.reason = reason;
    this.trace.record('msg.drop', fields);
  }

  private describe(message: Message) {
    const fields: { msg: number; from: string; to: string; method: string; path: string; reply?: number; status?: number } = {
      msg: message.id,
      from: message.from,
      to: message.to,
      method: message.method,
      path: message.path,
    };
    if (message.reply !== undefined) fields.reply = message.reply;
    if (message.status !== undefined) fields.status = message.status;
    return fields;
  }

  private link(node: NodeId): Link {
    const link = this.links.get(node);
    assert(link !== undefined, `unknown network node ${node}`);
    return link;
  }

  private topologyChanged(): void {
    for (const listener of this.topologyListeners) listener();
  }
}
