import type { AnyTraceEvent } from '../trace/index.ts';
import type { FaultEvent, Write, TraceModel } from './model.ts';

/**
 * Fault-free time on one device's path to the server, as the trace's `fault` events tell
 * it. The path is healthy when, at once:
 * - the network is fault-free: no random drop or duplicate (> 0), no active drop rule
 *   (from its `drop-rule` fault until `count` messages were dropped by rule), the server
 *   neither unavailable (until `detail.until`, or `t + detail.ms`) nor rate limited;
 * - the device is not partitioned from the server, is switched on (offline/online), has a
 *   connection (not `none`), is running (crash, terminate .. restart, foreground, refresh
 *   window, or a write of its own, which only a running app makes), is in the
 *   foreground or inside a background refresh window, and has no local write failures to
 *   come (from its `storage` fault until as many `storage-failure` events have happened:
 *   a device whose disk refuses to commit cannot apply what it pulls).
 * A final heal (`heal` with `detail.final`, or kind `final-heal`) ends every fault but the
 * announced end of a server outage (its Retry-After told clients to wait that long).
 * Latency is a fault only as a spike: a max latency above the run's starting max (the
 * scenario's own link; 150 ms by default), or above SPIKE_LATENCY_MS (1 s) in any case. A
 * link as the scenario starts with it, up to 1 s, counts against the objective. A fault's aftermath is a fault too: after
 * a spike, until the slowest message sent during it has landed; after a rate limit, until
 * the longest Retry-After it may have given has run.
 */
export class HealthyTime {
  private constructor(
    private readonly starts: number[],
    private readonly ends: number[],
    /** Healthy ms before each interval. */
    private readonly before: number[],
  ) {}

  static of(intervals: Array<[number, number]>): HealthyTime {
    const starts: number[] = [];
    const ends: number[] = [];
    const before: number[] = [];
    let total = 0;
    for (const [start, end] of intervals) {
      const last = ends.length - 1;
      if (last >= 0 && ends[last] === start) {
        total += end - start;
        ends[last] = end;
        continue;
      }
      starts.push(start);
      ends.push(end);
      before.push(total);
      total += end - start;
    }
    return new HealthyTime(starts, ends, before);
  }

  /** Healthy ms in [0, t). */
  until(t: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.starts[mid]! <= t) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (found < 0) return 0;
    return this.before[found]! + Math.min(t, this.ends[found]!) - this.starts[found]!;
  }

  /** Healthy ms in [from, to). */
  between(from: number, to: number): number {
    return to <= from ? 0 : this.until(to) - this.until(from);
  }
}

interface NetworkState {
  groupOf: Map<string, number>;
  drop: number;
  duplicate: number;
  unavailableUntil: number;
  rateLimited: boolean;
  ruleDropsLeft: number;
  /** A latency spike: messages slower than a second. */
  slow: boolean;
  /** The spike's max latency: messages sent during it may arrive that long after it ends. */
  slowMax: number;
  /** Until when the aftermath of a spike or a rate limit lasts (slow messages still landing, Retry-After still running). */
  settlingUntil: number;
  /** The rate limit's refill per second (for the longest Retry-After it may have given). */
  refillPerSecond: number;
  /** The network's max latency now (ms). */
  latencyMax: number;
  /** The run's starting max latency: the link as the scenario has it. */
  baselineMax: number;
}

interface DeviceState {
  switchedOn: boolean;
  connected: boolean;
  running: boolean;
  foreground: boolean;
  refreshUntil: number;
  /** Local transactions still to fail (armed by `storage`, used up by `storage-failure`). */
  failingWrites: number;
}

/** Retry-After is a whole number of seconds: a server rounds the time left up to it. */
export const RETRY_AFTER_RESOLUTION_MS = 1000;

/** Latency above this (ms, per message) is a spike: a fault, not an ordinary slow link. */
export const SPIKE_LATENCY_MS = 1000;

const num = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

/** One HealthyTime per device the trace knows. */
export function healthyTimes(model: TraceModel): Map<string, HealthyTime> {
  const times = new Map<string, HealthyTime>();
  for (const device of model.devices) times.set(device, timelineOf(model, device));
  return times;
}

function timelineOf(model: TraceModel, device: string): HealthyTime {
  const net: NetworkState = { groupOf: new Map(), drop: 0, duplicate: 0, unavailableUntil: 0, rateLimited: false, ruleDropsLeft: 0, slow: false, slowMax: 0, settlingUntil: 0, refillPerSecond: 0, latencyMax: 150, baselineMax: 150 };
  const dev: DeviceState = { switchedOn: true, connected: true, running: true, foreground: true, refreshUntil: -1, failingWrites: 0 };
  const intervals: Array<[number, number]> = [];
  let from = 0;
  const changes = mergeBySeq(model.faults, model.ruleDrops, model.writesByDevice.get(device) ?? []);
  for (const event of changes) {
    if (event.t > from) {
      healthyPart(net, dev, device, from, event.t, intervals);
      from = event.t;
    }
    apply(net, dev, device, event);
  }
  healthyPart(net, dev, device, from, Infinity, intervals);
  return HealthyTime.of(intervals);
}

/** Appends the healthy part of [a, b), during which the state holds except for timed expiries. */
function healthyPart(net: NetworkState, dev: DeviceState, device: string, a: number, b: number, out: Array<[number, number]>): void {
  if (net.drop > 0 || net.duplicate > 0 || net.rateLimited || net.ruleDropsLeft > 0 || net.slow) return;
  if (!dev.switchedOn || !dev.connected || !dev.running || dev.failingWrites > 0) return;
  if (net.groupOf.size > 0 && (net.groupOf.get(device) ?? -1) !== (net.groupOf.get('server') ?? -1)) return;
  const lo = Math.max(a, net.unavailableUntil, net.settlingUntil);
  const hi = dev.foreground ? b : Math.min(b, dev.refreshUntil);
  if (lo < hi) out.push([lo, hi]);
}

function apply(net: NetworkState, dev: DeviceState, device: string, event: AnyTraceEvent | Write): void {
  if (event.type === 'op' || event.type === 'invoke') {
    if (!dev.running) Object.assign(dev, { running: true, foreground: true });
    return;
  }
  if (event.type === 'msg.drop') {
    net.ruleDropsLeft = Math.max(0, net.ruleDropsLeft - 1);
    return;
  }
  const fault = event as FaultEvent;
  const detail = fault.detail;
  const mine = detail.device === device;
  switch (fault.kind as string) {
    case 'partition': {
      net.groupOf = new Map();
      const groups = Array.isArray(detail.groups) ? (detail.groups as unknown[]) : [];
      groups.forEach((group, index) => {
        if (Array.isArray(group)) for (const node of group) net.groupOf.set(String(node), index);
      });
      break;
    }
    case 'heal':
      if (detail.final === true) finalHeal(net, dev);
      else net.groupOf = new Map();
      break;
    case 'final-heal':
      finalHeal(net, dev);
      break;
    case 'network':
      net.drop = num(detail.drop) ?? net.drop;
      net.duplicate = num(detail.duplicate) ?? net.duplicate;
      if (typeof detail.latency === 'object' && detail.latency !== null) {
        const max = num((detail.latency as Record<string, unknown>).max);
        if (max !== undefined) {
          // A Retry-After counts from its reply's arrival: slower replies push the retries out.
          if (fault.t < net.unavailableUntil) net.unavailableUntil += Math.max(0, max - net.latencyMax);
          net.latencyMax = max;
          if (detail.initial === true) net.baselineMax = max;
          const spike = max > Math.min(SPIKE_LATENCY_MS, net.baselineMax);
          if (net.slow && !spike) net.settlingUntil = Math.max(net.settlingUntil, fault.t + net.slowMax);
          net.slow = spike;
          if (net.slow) net.slowMax = max;
        }
      }
      break;
    case 'drop-rule':
      net.ruleDropsLeft += num(detail.count) ?? Infinity;
      break;
    case 'unavailable':
      // Clients wait the Retry-After from when its reply arrives (up to one latency past the
      // end), and a Retry-After counts whole seconds: the end it announces may be up to 1 s late.
      net.unavailableUntil = Math.max(net.unavailableUntil, (num(detail.until) ?? fault.t + (num(detail.ms) ?? 0)) + RETRY_AFTER_RESOLUTION_MS + net.latencyMax);
      break;
    case 'rateLimit': {
      const limit = 'limit' in detail ? detail.limit : detail;
      const on = typeof limit === 'object' && limit !== null && (num((limit as Record<string, unknown>).capacity) ?? 0) > 0;
      // Turned off: a 429's Retry-After (up to one token's refill time) may still be running.
      if (net.rateLimited && !on) net.settlingUntil = Math.max(net.settlingUntil, fault.t + retryAfterMs(net.refillPerSecond));
      if (on) net.refillPerSecond = num((limit as Record<string, unknown>).refillPerSecond) ?? 0;
      net.rateLimited = on;
      break;
    }
    default:
      if (mine) applyToDevice(dev, fault);
  }
}

function applyToDevice(dev: DeviceState, fault: FaultEvent): void {
  const detail = fault.detail;
  switch (fault.kind as string) {
    case 'offline': dev.switchedOn = false; break;
    case 'online': dev.switchedOn = true; break;
    case 'connection': dev.connected = detail.connection !== 'none'; break;
    case 'crash': dev.running = false; break;
    case 'restart': Object.assign(dev, { running: true, foreground: true }); break;
    case 'app':
      if (detail.state === 'terminate') dev.running = false;
      else if (detail.state === 'foreground') Object.assign(dev, { running: true, foreground: true });
      else if (detail.state === 'background' && dev.running) dev.foreground = false;
      break;
    case 'storage':
      dev.failingWrites += num(detail.failWrites) ?? 0;
      break;
    case 'storage-failure':
      dev.failingWrites = num(detail.left) ?? Math.max(0, dev.failingWrites - 1);
      break;
    case 'backgroundRefresh': {
      if (!dev.running) Object.assign(dev, { running: true, foreground: false });
      const until = num(detail.until) ?? fault.t + (num(detail.ms) ?? 0);
      dev.refreshUntil = Math.max(dev.refreshUntil, until);
      break;
    }
    default:
      break;
  }
}

/** The longest Retry-After a token bucket refilling at `perSecond` gives (the server says 60 s when it never refills). */
function retryAfterMs(perSecond: number): number {
  return perSecond > 0 ? Math.ceil(1 / perSecond) * 1000 : 60_000;
}

/**
 * The final heal ends every fault, but an announced outage keeps its announced end: clients
 * were told by Retry-After to wait until then, and a correct client does.
 */
function finalHeal(net: NetworkState, dev: DeviceState): void {
  Object.assign(net, { groupOf: new Map(), drop: 0, duplicate: 0, rateLimited: false, ruleDropsLeft: 0, slow: false });
  Object.assign(dev, { switchedOn: true, connected: true, running: true, foreground: true, failingWrites: 0 });
}

/** Three seq-sorted lists as one. */
function mergeBySeq(a: readonly AnyTraceEvent[], b: readonly AnyTraceEvent[], c: readonly Write[]): Array<AnyTraceEvent | Write> {
  const out: Array<AnyTraceEvent | Write> = [...a, ...b, ...c];
  return out.sort((x, y) => x.seq - y.seq);
}
