/**
 * Indexes computed once per trace so that drawing and navigation never scan all events:
 * lanes, message spans sorted by send time, fault periods and markers per lane, the users'
 * actions (invoke to ok or fail) and reads per lane, and the seqs of writes, faults and
 * engine errors for jumping. What only the task filter needs waits for it (task-index.ts).
 */
import type { CheckResult } from '../../../src/check/verdict.ts';
import type { AnyTraceEvent, EventHeader } from '../../../src/trace/events.ts';
import { faultDevice, FaultTracker, SERVER, type FaultMarker, type FaultPeriod } from './faults.ts';
import { HistoryTracker, type UserAction } from './history.ts';
import { devicesOf } from './replay.ts';

export { SERVER };

export interface MessageSpan {
  msg: number;
  from: string;
  to: string;
  /** Indexes into `lanes` of from and to, -1 when not a lane. */
  fromLane: number;
  toLane: number;
  method: string;
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
  /** Index in `messages` of the request a reply answers or of the message a copy copies; -1 for none. */
  related: number;
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
  markers: FaultMarker[];
  /** Lanes each event is drawn on (index into `lanes`), -1 for none, -2 for every lane. */
  laneOfSeq: Int16Array;
  /** Index in `messages` of the message a send, copy, delivery or drop is about; -1 for other events. */
  messageOfSeq: Int32Array;
  opSeqs: number[];
  faultSeqs: number[];
  /** The users' writes, from invoke to ok or fail, in invoke order. */
  actions: UserAction[];
  /** Index in `actions` by write id. */
  actionOfWrite: ReadonlyMap<string, number>;
  /** The longest action, to find the actions crossing a time window. */
  maxActionMs: number;
  invokeSeqs: number[];
  /** By lane: the seqs of the device's reads, ascending (empty for the server). */
  readsByLane: number[][];
  engineErrorSeqs: number[];
  startT: number;
  endT: number;
  finalHealT: number | undefined;
  meta: { scenario: string; seed: string; engine: string };
}

const ALL_LANES = -2;
/** The server's lane is always the first. */
export const SERVER_LANE = 0;

/** Any event, read field by field (a trace from elsewhere may carry fields of any shape). */
type Loose = EventHeader & Record<string, unknown>;

export function str(value: unknown): string {
  return typeof value === 'string' ? value : value === undefined || value === null ? '' : JSON.stringify(value);
}

const SERVER_FAULTS = new Set(['unavailable', 'server-restart', 'quota', 'rateLimit']);

/** The lane a node name is drawn on, -1 for none. */
function laneOf(name: unknown, laneIndex: Map<string, number>): number {
  return (typeof name === 'string' ? laneIndex.get(name) : undefined) ?? -1;
}

function laneOfEvent(e: AnyTraceEvent, laneIndex: Map<string, number>): number {
  switch (e.type) {
    // ok and fail may not name their device: buildIndex puts them on their invoke's lane.
    case 'op': case 'device.apply': case 'invoke': case 'ok': case 'fail': case 'read': case 'engine-error': return laneOf(e.device, laneIndex);
    case 'server.apply': return SERVER_LANE;
    case 'msg.send': case 'msg.dup': case 'msg.drop': return laneOf(e.from, laneIndex);
    case 'msg.deliver': return laneOf(e.to, laneIndex);
    case 'snapshot': return laneOf(e.node, laneIndex);
    case 'fault': {
      const device = faultDevice((e as { detail?: unknown }).detail);
      if (device) return laneOf(device, laneIndex);
      return SERVER_FAULTS.has(String(e.kind)) ? SERVER_LANE : ALL_LANES;
    }
    default: return -1;
  }
}

/** The seqs the checkers' violations name, ascending, for jumping from one to the next. */
export function violationSeqsOf(results: ReadonlyArray<Pick<CheckResult, 'violations'>>): number[] {
  const seqs = new Set<number>();
  for (const r of results) for (const v of r.violations) for (const s of v.seqs) seqs.add(s);
  return [...seqs].sort((a, b) => a - b);
}

/** A new span for msg.send or msg.dup; `positions` maps msg ids to indexes in `messages`. */
function spanOf(e: Loose, positions: number[], laneIndex: Map<string, number>): MessageSpan {
  const dup = e.type === 'msg.dup';
  const related = dup ? positions[Number(e.of)] : typeof e.reply === 'number' ? positions[e.reply] : undefined;
  return {
    msg: Number(e.msg), from: str(e.from), to: str(e.to), fromLane: laneOf(e.from, laneIndex), toLane: laneOf(e.to, laneIndex), method: str(e.method),
    sendSeq: e.seq, sendT: e.t, endSeq: -1, endT: Number.NaN, end: 'open', dup, reply: typeof e.reply === 'number',
    status: typeof e.status === 'number' ? e.status : undefined, reason: undefined, related: related ?? -1,
  };
}

export function buildIndex(events: readonly AnyTraceEvent[]): TraceIndex {
  const devices = devicesOf(events);
  const lanes = [SERVER, ...devices.filter((d) => d !== SERVER)];
  const laneIndex = new Map(lanes.map((l, i) => [l, i]));
  const times = new Float64Array(events.length);
  const laneOfSeq = new Int16Array(events.length);
  const messageOfSeq = new Int32Array(events.length).fill(-1);
  // Msg ids are small integers, so an array beats a Map.
  const positions: number[] = [];
  const messages: MessageSpan[] = [];
  const faults = new FaultTracker(lanes);
  const opSeqs: number[] = [];
  const faultSeqs: number[] = [];
  const history = new HistoryTracker();
  const invokeSeqs: number[] = [];
  const readsByLane = lanes.map((): number[] => []);
  const engineErrorSeqs: number[] = [];
  let finalHealT: number | undefined;
  const start = events.find((e) => e.type === 'run.start') as Loose | undefined;

  for (let seq = 0; seq < events.length; seq++) {
    const e = events[seq]!;
    times[seq] = e.t;
    laneOfSeq[seq] = laneOfEvent(e, laneIndex);
    switch (e.type) {
      case 'op': opSeqs.push(seq); break;
      case 'invoke':
        invokeSeqs.push(seq);
        history.invoke(e as Loose, laneOfSeq[seq]!);
        break;
      case 'ok': case 'fail': {
        const lane = history.settle(e as Loose);
        if (laneOfSeq[seq]! < 0) laneOfSeq[seq] = lane;
        break;
      }
      case 'read': if (laneOfSeq[seq]! > SERVER_LANE) readsByLane[laneOfSeq[seq]!]!.push(seq); break;
      case 'engine-error': engineErrorSeqs.push(seq); break;
      case 'fault':
        faultSeqs.push(seq);
        faults.add(e as Loose);
        if (e.kind === 'heal' && (e.detail as { final?: unknown } | undefined)?.final === true) finalHealT = e.t;
        break;
      case 'msg.send': case 'msg.dup': {
        const span = spanOf(e as Loose, positions, laneIndex);
        positions[span.msg] = messages.length;
        messageOfSeq[seq] = messages.length;
        messages.push(span);
        break;
      }
      case 'msg.deliver': case 'msg.drop': {
        const position = positions[Number(e.msg)];
        const span = position === undefined ? undefined : messages[position]!;
        if (span && span.end === 'open') {
          span.end = e.type === 'msg.deliver' ? 'deliver' : 'drop';
          span.endSeq = seq;
          span.endT = e.t;
          if (e.type === 'msg.drop') span.reason = str(e.reason);
          messageOfSeq[seq] = position!;
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
  faults.close(endT);
  const maxActionMs = history.close(events.length - 1, endT);
  return {
    events, times, lanes, devices, messages, maxFlightMs, periods: faults.periods, markers: faults.markers, laneOfSeq, messageOfSeq, opSeqs,
    faultSeqs, actions: history.actions, actionOfWrite: history.actionOfWrite, maxActionMs, invokeSeqs, readsByLane, engineErrorSeqs,
    startT: events[0]?.t ?? 0, endT, finalHealT, meta: { scenario: str(start?.scenario), seed: str(start?.seed), engine: str(start?.engine) },
  };
}

/** The first index in [0, length) for which `before(i)` is false, when `before` holds for a prefix. */
export function firstIndex(length: number, before: (i: number) => boolean): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(mid)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index i with array[i] >= value (array sorted ascending). */
export function lowerBound(array: ArrayLike<number>, value: number): number {
  return firstIndex(array.length, (i) => array[i]! < value);
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
