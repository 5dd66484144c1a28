import type { AnyTraceEvent } from '../trace/index.ts';
import { healthyTimes, type HealthyTime } from './availability.ts';
import { indexTrace, isDelete, neverOnServer, type DeviceApplyEvent, type Write, type TaskHistory, type TraceModel } from './model.ts';
import { Ancestry, compareRank, mayReplace } from './values.ts';
import { Findings, seqList, type CheckOptions, type CheckResult } from './verdict.ts';

/**
 * sync-latency — the exact rules:
 *
 * 1. A write W (made at t0 on device D: its `invoke`, or its `op` in a trace without the
 *    harness's history) propagates to its targets: the server, and every other device that
 *    shares W's task (made or applied one of its writes, or holds it in its end snapshot;
 *    devices of other users never see it). It reaches the server at its first
 *    `server.apply` with result applied or duplicate, and device E at its first
 *    `device.apply` of W on E. A delta pull reports deletes by id only, so a device may
 *    not know which write deleted a row: a delete W also reaches E at E's first
 *    `device.apply` of any delete of the task, or its first `device.apply` for the task
 *    after W whose write is null (one that came earlier counts from W's own time).
 * 2. Superseded writes do not count. A write S may win over W when it supersedes W (LWW
 *    order: see values.ts `beats`; or it was made over W) or, without stamps, is concurrent
 *    with W (see `mayReplace`). W is not measured when such a write was made before W, or
 *    is made before W has reached all of its targets: then W's own value may rightly never
 *    propagate (queues coalesce it, servers reject it). Until that moment only W itself
 *    can carry W's value, so the arrivals in rule 1 are of W itself. A write that never
 *    returned (its app died mid-call) is not measured.
 * 3. Only fault-free time counts (see HealthyTime): from t0 to the server's arrival, the
 *    time D's path to the server is healthy; from the server's arrival to E's, the time
 *    E's path is healthy. The latency of W is the largest over its targets. This clips
 *    the start to the first healthy moment after t0 and skips every faulty interval.
 * 4. A write that is not superseded and never reaches a target is measured up to the end
 *    of the run (the first snapshot); it fails if that already exceeds the objective.
 *    Such writes are counted in `stats.unreached`, not in the percentiles.
 * 5. A create the server refused (result `rejected`, never applied: the quota) is not
 *    measured (`stats.refused`), nor is any write of a task the server never had
 *    (refused, or created and deleted before it ever synced).
 * 6. A write whose propagation a lost message disrupted is not measured (`stats.disrupted`):
 *    a node's loss episode runs from a message of its (sent or received) being dropped until
 *    it next sends a request to the same endpoint — its retry — since a client learns of a
 *    loss only by its own timeout, which may run on past the fault that lost the message,
 *    and other requests it sends meanwhile are no sign of it. Disrupted: an episode of the writer
 *    overlapping [write, server's arrival], or of a target overlapping [server's arrival,
 *    target's arrival].
 * 7. Without any `server.apply` in the trace, the server is not a target and device
 *    arrivals are timed on the receiving device's path from t0; without any
 *    `device.apply`, devices are not targets. With neither, nothing is measured.
 * The objective is `options.objectiveMs` (default 5000 ms). Stats: count, p50, p95, p99,
 * max (ms, nearest-rank percentiles over measured writes), objectiveMs, superseded,
 * unreached, refused.
 */
export const DEFAULT_OBJECTIVE_MS = 5000;

export function checkSyncLatency(events: readonly AnyTraceEvent[], options?: CheckOptions): CheckResult {
  return judgeSyncLatency(indexTrace(events), options);
}

interface Counters {
  latencies: number[];
  disrupted: number;
  superseded: number;
  unreached: number;
  refused: number;
}

export function judgeSyncLatency(model: TraceModel, options?: CheckOptions): CheckResult {
  const objective = options?.objectiveMs ?? DEFAULT_OBJECTIVE_MS;
  const findings = Findings.for(options);
  const counters: Counters = { latencies: [], disrupted: 0, superseded: 0, unreached: 0, refused: 0 };
  if (model.serverApplyCount > 0 || model.deviceApplyCount > 0) {
    const context: Context = { model, healthy: healthyTimes(model), losses: lossesByNode(model), tombstones: tombstoneApplies(model) };
    for (const history of model.tasks.values()) measureTask(context, history, objective, counters, findings);
  }
  return findings.verdict('sync-latency', { ...percentiles(counters.latencies), objectiveMs: objective, superseded: counters.superseded, unreached: counters.unreached, refused: counters.refused, disrupted: counters.disrupted });
}

interface Context {
  model: TraceModel;
  healthy: Map<string, HealthyTime>;
  /** Per node, the times its messages were lost (sorted). */
  losses: Map<string, number[]>;
  /** Per task, the `device.apply` events that may show one of its deletes. */
  tombstones: Map<string, DeviceApplyEvent[]>;
}

function tombstoneApplies(model: TraceModel): Map<string, DeviceApplyEvent[]> {
  const byTask = new Map<string, DeviceApplyEvent[]>();
  const add = (task: string, apply: DeviceApplyEvent) => {
    const list = byTask.get(task);
    if (list === undefined) byTask.set(task, [apply]);
    else list.push(apply);
  };
  for (const history of model.tasks.values()) {
    if (history.deletes === 0) continue;
    for (const op of history.writes) if (isDelete(op)) for (const apply of model.firstDeviceApply.get(op.write) ?? []) add(history.name, apply);
  }
  for (const apply of model.anonymousApplies) add(apply.task, apply);
  for (const list of byTask.values()) list.sort((a, b) => a.seq - b.seq);
  return byTask;
}

/**
 * For each write W, the seq of the first later write that may win over it (Infinity if
 * none): one that supersedes W or, without stamps, is concurrent with it — LWW may then
 * rightly keep the other, so W's own value need never arrive.
 */
function nextSuperseding(model: TraceModel, ancestry: Ancestry, ops: readonly Write[]): number[] {
  const next: number[] = new Array<number>(ops.length).fill(Infinity);
  if (ops.every((op) => op.stamp !== null)) {
    // A total order: a monotonic stack finds each one in a single pass.
    const stack: number[] = [];
    for (let i = 0; i < ops.length; i++) {
      while (stack.length > 0 && compareRank(ops[i]!, ops[stack[stack.length - 1]!]!) > 0) next[stack.pop()!] = ops[i]!.seq;
      stack.push(i);
    }
    return next;
  }
  for (let i = 0; i < ops.length; i++) {
    for (let j = i + 1; j < ops.length; j++) {
      if (mayReplace(model, ancestry, ops[j]!, ops[i]!)) {
        next[i] = ops[j]!.seq;
        break;
      }
    }
  }
  return next;
}

/** An arrival at one target: its latency and the event that shows it (none: never arrived). */
interface Arrival {
  target: string;
  latency: number;
  seq: number | undefined;
  /** Whose path carried this leg, and when: the writer's to the server, the target's from it. */
  device: string;
  from: number;
  to: number;
}

function measureTask(context: Context, history: TaskHistory, objective: number, counters: Counters, findings: Findings): void {
  const { model } = context;
  const ancestry = new Ancestry(model.writes);
  const next = nextSuperseding(model, ancestry, history.writes);
  let best: Write | undefined;
  const unknownToServer = neverOnServer(model, history);
  history.writes.forEach((write, i) => {
    // Born superseded: an earlier write may win over it (with stamps: the greatest so far outranks it).
    const bornSuperseded = best !== undefined && (write.stamp !== null && best.stamp !== null
      ? compareRank(best, write) > 0
      : history.writes.slice(0, i).some((earlier) => mayReplace(model, ancestry, earlier, write)));
    if (!bornSuperseded) best = write;
    if (bornSuperseded) return void counters.superseded++;
    if (write.okSeq === null) return; // never returned (its app died): no promise to time
    if (unknownToServer || (write.kind === 'create' && model.rejected.has(write.write) && !model.firstServerApply.has(write.write))) {
      return void counters.refused++;
    }
    const arrivals = arrivalsOf(context, history, write, next[i]!);
    if (arrivals === null) return void counters.superseded++;
    let worst: Arrival | undefined;
    for (const arrival of arrivals) if (worst === undefined || arrival.latency > worst.latency) worst = arrival;
    if (worst === undefined) return;
    // A lost message on a leg's path: the network was not fault-free for this write.
    if (arrivals.some((a) => a.seq !== undefined && lostBetween(context.losses.get(a.device), a.from, a.to))) return void counters.disrupted++;
    const unreached = arrivals.some((a) => a.seq === undefined);
    if (unreached) counters.unreached++;
    else counters.latencies.push(worst.latency);
    if (worst.latency <= objective) return;
    findings.report(() => ({
      task: history.name,
      writes: [write.write],
      seqs: seqList(write.seq, ...arrivals.map((a) => a.seq)),
      message: worst.seq === undefined
        ? `write ${write.write} of task ${history.name} never reached ${worst.target} after ${worst.latency} ms of fault-free time (objective ${objective} ms)`
        : `write ${write.write} of task ${history.name} took ${worst.latency} ms of fault-free time to reach ${worst.target} (objective ${objective} ms)`,
    }));
  });
}

/** W's arrival at each target; null when a superseding write was made before W reached them all. */
function arrivalsOf(context: Context, history: TaskHistory, write: Write, supersededAt: number): Arrival[] | null {
  const { model, healthy } = context;
  const end = Math.max(model.endT, write.t);
  const own = healthy.get(write.device);
  const arrivals: Arrival[] = [];
  let serverT = write.t;
  let serverLatency = 0;
  if (model.serverApplyCount > 0) {
    const apply = model.firstServerApply.get(write.write);
    const reached = apply !== undefined && apply.seq < supersededAt;
    if (!reached && supersededAt !== Infinity) return null;
    serverT = reached ? apply.t : end;
    serverLatency = own === undefined ? 0 : own.between(write.t, serverT);
    arrivals.push({ target: 'the server', latency: serverLatency, seq: reached ? apply.seq : undefined, device: write.device, from: write.t, to: serverT });
    if (!reached) return arrivals;
  }
  if (model.deviceApplyCount === 0) return arrivals;
  const applies = model.firstDeviceApply.get(write.write);
  for (const device of history.devices) {
    if (device === write.device) continue;
    const apply = firstArrival(context, history, write, device, applies);
    const reached = apply !== undefined && apply.seq < supersededAt;
    if (!reached && supersededAt !== Infinity) return null;
    const arrivedT = reached ? Math.max(apply.t, serverT) : end;
    const theirs = healthy.get(device);
    const latency = serverLatency + (theirs === undefined ? 0 : theirs.between(serverT, arrivedT));
    arrivals.push({ target: `device ${device}`, latency, seq: reached ? apply.seq : undefined, device, from: serverT, to: arrivedT });
  }
  return arrivals;
}

/** The first `device.apply` on `device` that shows `write` (for a delete, any tombstone after it). */
function firstArrival(context: Context, history: TaskHistory, write: Write, device: string, applies: DeviceApplyEvent[] | undefined): DeviceApplyEvent | undefined {
  const own = applies?.find((a) => a.device === device);
  if (!isDelete(write)) return own;
  const tombstone = context.tombstones.get(history.name)?.find((a) => a.device === device && (a.seq > write.seq || a.write !== null));
  return tombstone !== undefined && (own === undefined || tombstone.seq < own.seq) ? tombstone : own;
}

/**
 * Per node, its loss episodes: from a lost message (a request it sent, or the reply to one)
 * until the node next sends a request to the same endpoint (method and path, without the
 * query). A client learns of a loss only by its own timeout, and its retry of that
 * exchange shows it has; another request it sends meanwhile (a status poll beside a lost
 * push) shows nothing, since clients run requests side by side. Flattened as
 * [start0, end0, start1, end1, ...], ordered by start.
 */
function lossesByNode(model: TraceModel): Map<string, number[]> {
  const episodes = new Map<string, Array<[number, number]>>();
  const open = new Map<string, Map<string, number>>();
  const close = (node: string, start: number, end: number) => {
    const list = episodes.get(node);
    if (list === undefined) episodes.set(node, [[start, end]]);
    else list.push([start, end]);
  };
  for (const event of model.events) {
    if (event.type === 'msg.drop') {
      const drop = event as Extract<AnyTraceEvent, { type: 'msg.drop' }>;
      const endpoint = endpointOf(drop.method, drop.path);
      for (const node of [drop.from, drop.to]) {
        let lost = open.get(node);
        if (lost === undefined) open.set(node, (lost = new Map()));
        if (!lost.has(endpoint)) lost.set(endpoint, drop.t);
      }
    } else if (event.type === 'msg.send') {
      const send = event as Extract<AnyTraceEvent, { type: 'msg.send' }>;
      const lost = open.get(send.from);
      if (lost === undefined) continue;
      const endpoint = endpointOf(send.method, send.path);
      const start = lost.get(endpoint);
      if (start === undefined) continue;
      lost.delete(endpoint);
      close(send.from, start, send.t);
    }
  }
  for (const [node, lost] of open) for (const start of lost.values()) close(node, start, Number.POSITIVE_INFINITY);
  const flat = new Map<string, number[]>();
  for (const [node, list] of episodes) flat.set(node, list.sort((a, b) => a[0] - b[0]).flat());
  return flat;
}

/** Which exchange a message belongs to, as its retry would repeat it: `POST /v1/sync/batch`, `GET /v1/tasks`. */
function endpointOf(method: string, path: string): string {
  return `${method} ${withoutQuery(path)}`;
}

/** A path without its query: all of it an endpoint reads (and all a compact send keeps, compact.ts). */
export function withoutQuery(path: string): string {
  const query = path.indexOf('?');
  return query === -1 ? path : path.slice(0, query);
}

/** Whether any loss episode overlaps [from, to]. */
function lostBetween(episodes: number[] | undefined, from: number, to: number): boolean {
  if (episodes === undefined) return false;
  for (let i = 0; i < episodes.length; i += 2) {
    if (episodes[i]! > to) return false;
    if (episodes[i + 1]! >= from) return true;
  }
  return false;
}

function percentiles(latencies: number[]): Record<string, number> {
  const sorted = Float64Array.from(latencies).sort();
  const at = (p: number) => (sorted.length === 0 ? 0 : sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!);
  return { count: sorted.length, p50: at(50), p95: at(95), p99: at(99), max: sorted.length === 0 ? 0 : sorted[sorted.length - 1]! };
}
