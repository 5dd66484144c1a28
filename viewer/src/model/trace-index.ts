/**
 * Indexes computed once per trace so that drawing and navigation never scan all events:
 * lanes, message spans sorted by send time, fault periods per lane, and the seqs of
 * writes, faults and violations for jumping.
 */
import type { CheckResult } from '../../../src/check/verdict.ts';
import type { AnyTraceEvent, EventHeader } from '../../../src/trace/events.ts';
import { devicesOf } from './replay.ts';

export const SERVER = 'server';

export interface MessageSpan {
  msg: number;
  from: string;
  to: string;
  sendSeq: number;
  sendT: number;
  /** Seq and time of delivery or drop; for a message still in flight at the end, the trace's end. */
  endSeq: number;
  endT: number;
  end: 'deliver' | 'drop' | 'open';
  /** A copy made by the network (msg.dup). */
  dup: boolean;
  /** A reply (it names the request it answers); `status` is its HTTP status. */
  reply: boolean;
  status: number | undefined;
  reason: string | undefined;
  label: string;
}

export interface FaultPeriod {
  lane: string;
  kind: string;
  label: string;
  startT: number;
  endT: number;
  startSeq: number;
}

export interface TraceIndex {
  events: readonly AnyTraceEvent[];
  /** t of each event, by seq. */
  times: Float64Array;
  /** Server first, then the devices of run.start. */
  lanes: string[];
  devices: string[];
  messages: MessageSpan[];
  /** The longest message flight, to find the messages crossing a time window. */
  maxFlightMs: number;
  periods: FaultPeriod[];
  /** Lanes each event is drawn on (index into `lanes`), -1 for none, -2 for every lane. */
  laneOfSeq: Int16Array;
  opSeqs: number[];
  faultSeqs: number[];
  violationSeqs: number[];
  /** The task an event concerns (op, device.apply, server.apply), for the task filter. */
  taskOfSeq: Array<string | undefined>;
  tasks: string[];
  startT: number;
  endT: number;
  finalHealT: number | undefined;
  meta: { scenario: string; seed: string; engine: string };
}

const ALL_LANES = -2;

/** Any event, read field by field (a trace from elsewhere may carry fields of any shape). */
type Loose = EventHeader & Record<string, unknown>;

/** The device a fault concerns, when it names one. */
function faultDevice(detail: unknown): string | undefined {
  if (typeof detail === 'object' && detail !== null && typeof (detail as { device?: unknown }).device === 'string') {
    return (detail as { device: string }).device;
  }
  return undefined;
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : value === undefined || value === null ? '' : JSON.stringify(value);
}

/** Opens and closes shaded periods as faults come and go. */
class PeriodTracker {
  readonly periods: FaultPeriod[] = [];
  private readonly open = new Map<string, FaultPeriod>();

  start(lane: string, kind: string, label: string, t: number, seq: number): void {
    const key = `${lane}\u0000${kind}`;
    if (this.open.has(key)) return;
    const period = { lane, kind, label, startT: t, endT: Number.POSITIVE_INFINITY, startSeq: seq };
    this.open.set(key, period);
    this.periods.push(period);
  }

  stop(lane: string, kind: string, t: number): void {
    const key = `${lane}\u0000${kind}`;
    const period = this.open.get(key);
    if (period) {
      period.endT = t;
      this.open.delete(key);
    }
  }

  stopKind(kind: string, t: number): void {
    for (const [key, period] of this.open) {
      if (period.kind === kind) {
        period.endT = t;
        this.open.delete(key);
      }
    }
  }

  close(endT: number): void {
    for (const period of this.periods) if (period.endT === Number.POSITIVE_INFINITY) period.endT = endT;
  }
}

function trackFault(tracker: PeriodTracker, e: Loose, lanes: string[]): void {
  const detail = (e as { detail?: unknown }).detail as Record<string, unknown> | undefined;
  const device = faultDevice(detail);
  switch (String(e.kind)) {
    case 'offline': if (device) tracker.start(device, 'offline', 'offline', e.t, e.seq); break;
    case 'online': if (device) tracker.stop(device, 'offline', e.t); break;
    case 'connection':
      if (!device) break;
      if (detail?.connection === 'none') tracker.start(device, 'offline', 'no connection', e.t, e.seq);
      else tracker.stop(device, 'offline', e.t);
      break;
    case 'crash': if (device) tracker.start(device, 'crash', 'crashed', e.t, e.seq); break;
    case 'restart': if (device) tracker.stop(device, 'crash', e.t); break;
    case 'app': {
      if (!device) break;
      const state = str(detail?.state);
      if (state === 'foreground') {
        tracker.stop(device, 'app', e.t);
      } else {
        tracker.stop(device, 'app', e.t);
        tracker.start(device, 'app', `app ${state}`, e.t, e.seq);
      }
      break;
    }
    case 'unavailable': {
      const until = typeof detail?.until === 'number' ? detail.until : e.t + (typeof detail?.ms === 'number' ? detail.ms : 0);
      tracker.start(SERVER, 'unavailable', 'unavailable', e.t, e.seq);
      tracker.stop(SERVER, 'unavailable', until);
      break;
    }
    case 'partition': {
      // Shade the lanes cut off from the server.
      const groups = Array.isArray(detail?.groups) ? (detail.groups as unknown[][]) : [];
      const serverGroup = groups.find((g) => g.includes(SERVER)) ?? [];
      for (const lane of lanes) {
        if (lane !== SERVER && !serverGroup.includes(lane)) tracker.start(lane, 'partition', 'partitioned', e.t, e.seq);
      }
      break;
    }
    case 'heal':
      tracker.stopKind('partition', e.t);
      if (detail?.final === true) {
        tracker.stopKind('offline', e.t);
        tracker.stopKind('crash', e.t);
      }
      break;
    default:
      break;
  }
}

function laneOfEvent(e: AnyTraceEvent, laneIndex: Map<string, number>): number {
  const lane = (name: unknown) => laneIndex.get(str(name)) ?? -1;
  switch (e.type) {
    case 'op': case 'device.apply': return lane(e.device);
    case 'server.apply': return lane(SERVER);
    case 'msg.send': case 'msg.dup': case 'msg.drop': return lane(e.from);
    case 'msg.deliver': return lane(e.to);
    case 'snapshot': return lane(e.node);
    case 'fault': {
      const device = faultDevice((e as { detail?: unknown }).detail);
      if (device) return lane(device);
      return ['unavailable', 'server-restart', 'quota', 'rateLimit'].includes(String(e.kind)) ? lane(SERVER) : ALL_LANES;
    }
    default: return -1;
  }
}

function messageLabel(e: Loose): string {
  const status = typeof e.status === 'number' ? ` → ${e.status}` : '';
  return `${str(e.method)} ${str(e.path)}${status}`;
}

function violationSeqsOf(results: readonly CheckResult[]): number[] {
  const seqs = new Set<number>();
  for (const r of results) for (const v of r.violations) for (const s of v.seqs) seqs.add(s);
  return [...seqs].sort((a, b) => a - b);
}

export function buildIndex(events: readonly AnyTraceEvent[], results: readonly CheckResult[]): TraceIndex {
  const devices = devicesOf(events);
  const lanes = [SERVER, ...devices.filter((d) => d !== SERVER)];
  const laneIndex = new Map(lanes.map((l, i) => [l, i]));
  const times = new Float64Array(events.length);
  const laneOfSeq = new Int16Array(events.length);
  const taskOfSeq: Array<string | undefined> = new Array(events.length);
  const spans = new Map<number, MessageSpan>();
  const messages: MessageSpan[] = [];
  const tracker = new PeriodTracker();
  const opSeqs: number[] = [];
  const faultSeqs: number[] = [];
  const tasks = new Set<string>();
  let finalHealT: number | undefined;
  const start = events.find((e) => e.type === 'run.start') as Loose | undefined;

  for (let seq = 0; seq < events.length; seq++) {
    const e = events[seq]!;
    times[seq] = e.t;
    laneOfSeq[seq] = laneOfEvent(e, laneIndex);
    if (e.type === 'op' || e.type === 'device.apply' || e.type === 'server.apply') {
      const task = str(e.task);
      taskOfSeq[seq] = task;
      tasks.add(task);
    }
    switch (e.type) {
      case 'op': opSeqs.push(seq); break;
      case 'fault':
        faultSeqs.push(seq);
        trackFault(tracker, e as Loose, lanes);
        if (e.kind === 'heal' && (e.detail as { final?: unknown } | undefined)?.final === true) finalHealT = e.t;
        break;
      case 'msg.send': case 'msg.dup': {
        const span: MessageSpan = {
          msg: Number(e.msg), from: str(e.from), to: str(e.to), sendSeq: seq, sendT: e.t, endSeq: -1, endT: Number.NaN, end: 'open',
          dup: e.type === 'msg.dup', reply: typeof e.reply === 'number', status: typeof e.status === 'number' ? e.status : undefined,
          reason: undefined, label: messageLabel(e as Loose),
        };
        spans.set(span.msg, span);
        messages.push(span);
        break;
      }
      case 'msg.deliver': case 'msg.drop': {
        const span = spans.get(Number(e.msg));
        if (span && span.end === 'open') {
          span.end = e.type === 'msg.deliver' ? 'deliver' : 'drop';
          span.endSeq = seq;
          span.endT = e.t;
          if (e.type === 'msg.drop') span.reason = str(e.reason);
        }
        break;
      }
      default: break;
    }
  }
  const endT = events.length > 0 ? events[events.length - 1]!.t : 0;
  let maxFlightMs = 0;
  for (const m of messages) {
    if (m.end === 'open') {
      m.endT = endT;
      m.endSeq = events.length - 1;
    }
    maxFlightMs = Math.max(maxFlightMs, m.endT - m.sendT);
  }
  tracker.close(endT);
  return {
    events, times, lanes, devices, messages, maxFlightMs, periods: tracker.periods, laneOfSeq, opSeqs, faultSeqs,
    violationSeqs: violationSeqsOf(results), taskOfSeq, tasks: [...tasks].sort(), startT: events[0]?.t ?? 0, endT, finalHealT,
    meta: { scenario: str(start?.scenario), seed: str(start?.seed), engine: str(start?.engine) },
  };
}

/** First index i with array[i] >= value (array sorted ascending). */
export function lowerBound(array: ArrayLike<number>, value: number): number {
  let lo = 0;
  let hi = array.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (array[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The next (direction 1) or previous (-1) seq of a sorted list, strictly past `from`; undefined at the end. */
export function neighbour(sorted: readonly number[], from: number, direction: 1 | -1): number | undefined {
  if (direction === 1) {
    const i = lowerBound(sorted, from + 1);
    return sorted[i];
  }
  const i = lowerBound(sorted, from) - 1;
  return i >= 0 ? sorted[i] : undefined;
}

/** One line describing an event, for lists and tooltips. */
export function describeEvent(e: AnyTraceEvent): string {
  switch (e.type) {
    case 'op': return `${str(e.device)} ${str(e.kind)} ${str(e.task)} (${str(e.write)}) “${str((e.value as { title?: unknown } | undefined)?.title)}”`;
    case 'device.apply': return `${str(e.device)} row ${str(e.task)} ← ${str(e.write) || '?'} (${str(e.source)})`;
    case 'server.apply': return `server ${str(e.result)} ${str(e.write) || '?'} on ${str(e.task)} v${str(e.version)}`;
    case 'msg.send': return `msg ${str(e.msg)} ${str(e.from)}→${str(e.to)} ${messageLabel(e as Loose)}`;
    case 'msg.deliver': return `msg ${str(e.msg)} delivered to ${str(e.to)}`;
    case 'msg.drop': return `msg ${str(e.msg)} ${str(e.from)}→${str(e.to)} dropped (${str(e.reason)})`;
    case 'msg.dup': return `msg ${str(e.msg)} duplicate of ${str(e.of)}`;
    case 'fault': return `fault ${str(e.kind)} ${JSON.stringify(e.detail ?? {})}`;
    case 'snapshot': return `snapshot ${str(e.node)}: ${Array.isArray(e.tasks) ? e.tasks.length : 0} rows`;
    case 'check': return `check ${str(e.checker)} ${e.ok ? 'ok' : 'FAIL'}`;
    case 'run.start': return `run.start ${str(e.scenario)} seed ${str(e.seed)} (${str(e.engine)})`;
    case 'run.end': return `run.end ${e.ok ? 'ok' : 'not ok'}`;
    default: return e.type;
  }
}
