import type { AnyTraceEvent, EventOf, ReadRow, SnapshotRow, TaskValue, WriteKind } from '../trace/index.ts';
import { ReadViews } from '../trace/index.ts';
import { clockSpread } from './tolerance.ts';

/**
 * The trace indexed once, in one pass, for every checker. It keeps references to the
 * events (never copies), so indexing a million events allocates little beyond the maps.
 *
 * Writes come from the harness's history (SPEC §5): each `invoke` that was not answered
 * `fail`. One answered `ok` returned to the user; one never answered (its app died) is
 * indeterminate, and counts only where the trace shows it took effect. An engine's `op`
 * for the same write id lends it its LWW `stamp` (and its `basis` when the harness could
 * not tell one). A trace without any `invoke` (from an older harness or elsewhere) is
 * judged on its `op` events as the writes.
 */

export type OpEvent = EventOf<'op'>;
export type InvokeEvent = EventOf<'invoke'>;
export type ReadEvent = EventOf<'read'>;
export type SnapshotEvent = EventOf<'snapshot'>;
export type DeviceApplyEvent = EventOf<'device.apply'>;
export type FaultEvent = EventOf<'fault'>;
/** `op` and `id` are optional extras a harness may add (the server's write kind and task id). */
export type ServerApplyEvent = EventOf<'server.apply'> & { op?: 'create' | 'update' | 'delete'; id?: string };

/** One user write, as the checkers judge it. */
export interface Write {
  /** The event it comes from: `invoke` (the harness's history) or `op` (a trace without one). */
  readonly type: 'invoke' | 'op';
  /** The seq and time the write was made. */
  readonly seq: number;
  readonly t: number;
  readonly device: string;
  readonly write: string;
  readonly kind: WriteKind;
  readonly task: string;
  /** The value the task has after the write. */
  readonly value: TaskValue;
  /** The write the edited row reflected, or null. */
  readonly basis: string | null;
  /** The engine's LWW stamp, when its `op` gave one; null: real-time order decides (see values.ts). */
  readonly stamp: string | null;
  /** The seq and time the write returned to the user; null for an indeterminate write. */
  readonly okSeq: number | null;
  readonly okT: number | null;
  /** Latest time it can have taken effect: its return, else its device's next crash, else the run's end. */
  readonly doneT: number;
}

/** Everything the trace says about one scenario task. */
export interface TaskHistory {
  readonly name: string;
  /** Its writes, in seq order. */
  readonly writes: Write[];
  /** Every `server.apply` naming it, in seq order. */
  readonly serverApplies: ServerApplyEvent[];
  /** Delete writes among `writes`. */
  deletes: number;
  /** Devices that made or applied one of its writes, or read or hold it: the devices that share it. */
  readonly devices: Set<string>;
}

/** One node's end-of-run snapshot, its rows grouped by logical task. */
export interface NodeState {
  readonly node: string;
  readonly snapshot: SnapshotEvent;
  readonly rows: Map<string, SnapshotRow[]>;
}

/** A read as a change of what its device's list shows: rows that appeared or changed, rows that went. */
export interface ReadChange {
  readonly read: ReadEvent;
  /** Rows new or changed in this read (their new value), each with its logical task. */
  readonly shown: ReadonlyArray<{ task: string; row: ReadRow }>;
  /** Rows of the previous read no longer there, or replaced (their old value). */
  readonly hidden: ReadonlyArray<{ task: string; row: ReadRow }>;
}

export interface TraceModel {
  readonly events: readonly AnyTraceEvent[];
  /** Whether writes come from the harness's history (`invoke`) rather than engine `op`s. */
  readonly harness: boolean;
  /** Writes by id. */
  readonly writes: Map<string, Write>;
  readonly tasks: Map<string, TaskHistory>;
  readonly writeCount: number;
  /** Writes that returned to the user. */
  readonly returnedCount: number;
  readonly firstWriteSeq: number | null;
  readonly writesByDevice: Map<string, Write[]>;
  /** For a write id, the last write of the same task made on a row that reflected it. */
  readonly childOf: Map<string, Write>;
  /** Writes whose local transaction failed (`fail`): they must leave nothing behind. */
  readonly failed: Map<string, InvokeEvent>;
  /** The first `server.apply` of each write with result applied or duplicate. */
  readonly firstServerApply: Map<string, ServerApplyEvent>;
  /** Writes the server answered `rejected` at least once. */
  readonly rejected: Set<string>;
  readonly serverApplyCount: number;
  /** `op` and `device.apply` events in seq order: what each device's rows went through, by the engine's account. */
  readonly deviceChanges: Array<OpEvent | DeviceApplyEvent>;
  /** For each write, the first `device.apply` of it on each device. */
  readonly firstDeviceApply: Map<string, DeviceApplyEvent[]>;
  readonly deviceApplyCount: number;
  /** `device.apply` events whose write the device could not name (a tombstone from a delta pull). */
  readonly anonymousApplies: DeviceApplyEvent[];
  /** Every read, in seq order, as a change of its device's list. */
  readonly reads: ReadChange[];
  readonly faults: FaultEvent[];
  /** `msg.drop` events with reason `rule`: they use up drop rules. */
  readonly ruleDrops: AnyTraceEvent[];
  readonly messages: { send: number; deliver: number; drop: number; dup: number };
  /** Device ids: run.start's, then any other seen, in order of appearance. */
  readonly devices: string[];
  readonly server: NodeState | null;
  /** The last snapshot of each device, in order of appearance. */
  readonly deviceStates: NodeState[];
  /** When the run ended: the first snapshot's t, else the last event's. */
  readonly endT: number;
  /** The largest difference between two device clocks during the run (ms): real-time LWW's margin. */
  readonly clockSpread: number;
}

function historyOf(tasks: Map<string, TaskHistory>, name: string): TaskHistory {
  let history = tasks.get(name);
  if (history === undefined) {
    history = { name, writes: [], serverApplies: [], deletes: 0, devices: new Set() };
    tasks.set(name, history);
  }
  return history;
}

/** What one pass over the events collects before writes are built. */
interface Collected {
  invokes: InvokeEvent[];
  answers: Map<string, { seq: number; t: number; ok: boolean }>;
  ops: Map<string, OpEvent>;
  opList: OpEvent[];
  serverApplies: ServerApplyEvent[];
  deviceApplies: DeviceApplyEvent[];
  readEvents: ReadEvent[];
  /** Crash and OS-kill times per device, in order. */
  deaths: Map<string, number[]>;
  snapshots: Map<string, SnapshotEvent>;
}

/** Indexes a trace in one pass (plus one over its writes). Events are trusted to have their type's fields (the reader validates files). */
export function indexTrace(events: readonly AnyTraceEvent[]): TraceModel {
  const c: Collected = {
    invokes: [], answers: new Map(), ops: new Map(), opList: [], serverApplies: [], deviceApplies: [], readEvents: [], deaths: new Map(), snapshots: new Map(),
  };
  const deviceChanges: Array<OpEvent | DeviceApplyEvent> = [];
  const faults: FaultEvent[] = [];
  const ruleDrops: AnyTraceEvent[] = [];
  const messages = { send: 0, deliver: 0, drop: 0, dup: 0 };
  const devices = new Set<string>();
  let firstSnapshotT: number | null = null;

  for (const event of events) {
    switch (event.type) {
      case 'invoke':
        c.invokes.push(event as InvokeEvent);
        break;
      case 'ok':
      case 'fail': {
        const answer = event as EventOf<'ok'>;
        if (!c.answers.has(answer.write)) c.answers.set(answer.write, { seq: answer.seq, t: answer.t, ok: event.type === 'ok' });
        break;
      }
      case 'op': {
        const op = event as OpEvent;
        if (!c.ops.has(op.write)) c.ops.set(op.write, op);
        c.opList.push(op);
        deviceChanges.push(op);
        break;
      }
      case 'read':
        c.readEvents.push(event as ReadEvent);
        break;
      case 'server.apply':
        c.serverApplies.push(event as ServerApplyEvent);
        break;
      case 'device.apply': {
        const apply = event as DeviceApplyEvent;
        c.deviceApplies.push(apply);
        deviceChanges.push(apply);
        break;
      }
      case 'fault': {
        const fault = event as FaultEvent;
        faults.push(fault);
        const device = fault.detail.device;
        if (typeof device === 'string' && (fault.kind === 'crash' || fault.kind === 'restart' || (fault.kind === 'app' && fault.detail.state === 'terminate'))) {
          let list = c.deaths.get(device);
          if (list === undefined) c.deaths.set(device, (list = []));
          list.push(fault.t);
        }
        break;
      }
      case 'snapshot': {
        const snapshot = event as SnapshotEvent;
        firstSnapshotT ??= snapshot.t;
        c.snapshots.delete(snapshot.node); // the last one counts, in order of its appearance
        c.snapshots.set(snapshot.node, snapshot);
        if (snapshot.node !== 'server') devices.add(snapshot.node);
        break;
      }
      case 'run.start':
        for (const d of (event as EventOf<'run.start'>).devices) devices.add(d.id);
        break;
      case 'msg.send': messages.send++; break;
      case 'msg.deliver': messages.deliver++; break;
      case 'msg.dup': messages.dup++; break;
      case 'msg.drop':
        messages.drop++;
        if ((event as EventOf<'msg.drop'>).reason === 'rule') ruleDrops.push(event);
        break;
      default:
        break;
    }
  }

  const last = events[events.length - 1];
  const endT = firstSnapshotT ?? last?.t ?? 0;
  const harness = c.invokes.length > 0;
  const tasks = new Map<string, TaskHistory>();
  const { writes, failed } = harness ? writesFromHistory(c, endT) : writesFromOps(c);
  const writesByDevice = new Map<string, Write[]>();
  const childOf = new Map<string, Write>();
  let returnedCount = 0;
  for (const write of writes.values()) {
    const history = historyOf(tasks, write.task);
    history.writes.push(write);
    if (isDelete(write)) history.deletes++;
    history.devices.add(write.device);
    devices.add(write.device);
    let own = writesByDevice.get(write.device);
    if (own === undefined) writesByDevice.set(write.device, (own = []));
    own.push(write);
    if (write.basis !== null && writes.get(write.basis)?.task === write.task) childOf.set(write.basis, write);
    if (write.okSeq !== null) returnedCount++;
  }

  const firstServerApply = new Map<string, ServerApplyEvent>();
  const rejected = new Set<string>();
  for (const apply of c.serverApplies) {
    const name = (apply.write !== null ? writes.get(apply.write)?.task : undefined) ?? apply.task;
    historyOf(tasks, name).serverApplies.push(apply);
    if (apply.write === null) continue;
    if ((apply.result === 'applied' || apply.result === 'duplicate') && !firstServerApply.has(apply.write)) firstServerApply.set(apply.write, apply);
    if (apply.result === 'rejected') rejected.add(apply.write);
  }

  const firstDeviceApply = new Map<string, DeviceApplyEvent[]>();
  const anonymousApplies: DeviceApplyEvent[] = [];
  for (const apply of c.deviceApplies) {
    devices.add(apply.device);
    if (apply.write === null) {
      anonymousApplies.push(apply);
      continue;
    }
    const firsts = firstDeviceApply.get(apply.write);
    if (firsts === undefined) firstDeviceApply.set(apply.write, [apply]);
    else if (firsts.some((f) => f.device === apply.device)) continue; // seen: nothing new to learn
    else firsts.push(apply);
    const write = writes.get(apply.write);
    if (write !== undefined) historyOf(tasks, write.task).devices.add(apply.device);
  }

  const model = {
    events, harness, writes, tasks, writeCount: writes.size, returnedCount,
    firstWriteSeq: firstOf(writes), writesByDevice, childOf, failed, firstServerApply, rejected,
    serverApplyCount: c.serverApplies.length, deviceChanges, firstDeviceApply, deviceApplyCount: c.deviceApplies.length, anonymousApplies,
    reads: [] as ReadChange[], faults, ruleDrops, messages,
    devices: [] as string[],
    server: null as NodeState | null,
    deviceStates: [] as NodeState[],
    endT,
    clockSpread: clockSpread(events),
  };
  for (const snapshot of c.snapshots.values()) {
    const state = nodeState(model, snapshot);
    if (snapshot.node === 'server') model.server = state;
    else {
      model.deviceStates.push(state);
      for (const task of state.rows.keys()) tasks.get(task)?.devices.add(snapshot.node);
    }
  }
  model.reads = readChanges(model, c.readEvents);
  for (const read of c.readEvents) devices.add(read.device);
  model.devices = [...devices];
  return model;
}

function firstOf(writes: Map<string, Write>): number | null {
  let first: number | null = null;
  for (const write of writes.values()) if (first === null || write.seq < first) first = write.seq;
  return first;
}

/**
 * Writes from `invoke`/`ok`/`fail`. An indeterminate write (no answer) is kept only when
 * the trace shows it took effect: the engine's `op`, a `server.apply` or `device.apply` of
 * it, or its value on some node (a read or a snapshot row of its task).
 */
function writesFromHistory(c: Collected, endT: number): { writes: Map<string, Write>; failed: Map<string, InvokeEvent> } {
  const writes = new Map<string, Write>();
  const failed = new Map<string, InvokeEvent>();
  let seen: Set<string> | null = null;
  for (const invoke of c.invokes) {
    if (writes.has(invoke.write) || failed.has(invoke.write)) continue;
    const answer = c.answers.get(invoke.write);
    if (answer !== undefined && !answer.ok) {
      failed.set(invoke.write, invoke);
      continue;
    }
    const op = c.ops.get(invoke.write);
    if (answer === undefined && op === undefined) {
      seen ??= observedWrites(c);
      if (!seen.has(invoke.write) && !seen.has(valueKey(invoke.task, invoke.value))) continue;
    }
    writes.set(invoke.write, {
      type: 'invoke',
      seq: invoke.seq,
      t: invoke.t,
      device: invoke.device,
      write: invoke.write,
      kind: invoke.kind,
      task: invoke.task,
      value: invoke.value,
      basis: invoke.basis ?? op?.basis ?? null,
      stamp: op?.stamp ?? null,
      okSeq: answer?.seq ?? null,
      okT: answer?.t ?? null,
      doneT: answer?.t ?? nextDeath(c.deaths.get(invoke.device), invoke.t) ?? endT,
    });
  }
  return { writes, failed };
}

/** Write ids the server or a device says it applied, and (task, value) keys some node showed. */
function observedWrites(c: Collected): Set<string> {
  const seen = new Set<string>();
  for (const apply of c.serverApplies) if (apply.write !== null) seen.add(apply.write);
  for (const apply of c.deviceApplies) if (apply.write !== null) seen.add(apply.write);
  for (const read of c.readEvents) for (const row of read.rows) seen.add(valueKey(row.task, { ...row, deleted: false }));
  for (const snapshot of c.snapshots.values()) for (const row of snapshot.tasks) seen.add(valueKey(row.task, row));
  return seen;
}

function valueKey(task: string, value: TaskValue): string {
  return value.deleted ? `${task}\u0000deleted` : `${task}\u0000${value.completed ? 1 : 0}${value.title}`;
}

function nextDeath(deaths: number[] | undefined, after: number): number | undefined {
  return deaths?.find((t) => t >= after);
}

/** A trace without the harness's history: every `op` is a write that returned. */
function writesFromOps(c: Collected): { writes: Map<string, Write>; failed: Map<string, InvokeEvent> } {
  const writes = new Map<string, Write>();
  for (const op of c.opList) {
    if (writes.has(op.write)) continue;
    writes.set(op.write, {
      type: 'op', seq: op.seq, t: op.t, device: op.device, write: op.write, kind: op.kind, task: op.task,
      value: op.value, basis: op.basis, stamp: op.stamp, okSeq: op.seq, okT: op.t, doneT: op.t,
    });
  }
  return { writes, failed: new Map() };
}

/** Reads as changes: compact reads are their own change; a full one is compared with the device's previous list. */
function readChanges(model: Pick<TraceModel, 'tasks' | 'writes'>, reads: readonly ReadEvent[]): ReadChange[] {
  const views = new ReadViews();
  const changes: ReadChange[] = [];
  const named = (row: ReadRow) => ({ task: taskOfRow(model, row), row });
  for (const read of reads) {
    const previous = views.current(read.device);
    if (read.since !== undefined && previous !== undefined) {
      // Old values first: applying a compact read changes the device's list in place.
      const hidden = [];
      for (const id of read.gone ?? []) { const row = previous.get(id); if (row) hidden.push(named(row)); }
      for (const row of read.rows) { const old = previous.get(row.id); if (old) hidden.push(named(old)); }
      views.apply(read);
      changes.push({ read, shown: read.rows.map(named), hidden });
      continue;
    }
    // A whole read makes a new list, so `previous` still holds the old one.
    const after = views.apply(read);
    const shown = [];
    const hidden = [];
    for (const [id, row] of after) {
      const old = previous?.get(id);
      if (old !== undefined && old.task === row.task && old.title === row.title && old.completed === row.completed) continue;
      shown.push(named(row));
      if (old !== undefined) hidden.push(named(old));
    }
    if (previous !== undefined) for (const [id, row] of previous) if (!after.has(id)) hidden.push(named(row));
    changes.push({ read, shown, hidden });
  }
  return changes;
}

function nodeState(model: Pick<TraceModel, 'tasks' | 'writes'>, snapshot: SnapshotEvent): NodeState {
  const rows = new Map<string, SnapshotRow[]>();
  for (const row of snapshot.tasks) {
    const task = taskOfRow(model, row);
    const list = rows.get(task);
    if (list === undefined) rows.set(task, [row]);
    else list.push(row);
  }
  return { node: snapshot.node, snapshot, rows };
}

/**
 * The logical task a row (of a snapshot or a read) belongs to: its `task` when that names a
 * task with writes; else the task of the write it names; else the one task that has a write
 * of the row's value (generated workloads give every write a unique title: a row an engine
 * re-keyed still shows whose it is); else its `task` as it is.
 */
export function taskOfRow(model: Pick<TraceModel, 'tasks' | 'writes'>, row: { task: string; title: string; completed: boolean; write?: string | null }): string {
  if (model.tasks.has(row.task)) return row.task;
  const named = typeof row.write === 'string' ? model.writes.get(row.write) : undefined;
  if (named !== undefined) return named.task;
  return tasksByValue(model.writes).get(valueKey('', { title: row.title, completed: row.completed, deleted: false })) ?? row.task;
}

/** The task of each live value, when exactly one task has a write of it; built once per model. */
const valueIndexes = new WeakMap<Map<string, Write>, Map<string, string | undefined>>();

function tasksByValue(writes: Map<string, Write>): Map<string, string | undefined> {
  let index = valueIndexes.get(writes);
  if (index !== undefined) return index;
  index = new Map();
  for (const write of writes.values()) {
    if (isDelete(write)) continue;
    const key = valueKey('', write.value);
    const known = index.get(key);
    if (!index.has(key)) index.set(key, write.task);
    else if (known !== write.task) index.set(key, undefined);
  }
  valueIndexes.set(writes, index);
  return index;
}

export function isDelete(write: Write | OpEvent): boolean {
  return write.kind === 'delete' || write.value.deleted === true;
}

/** Every end-of-run node: the server first, then the devices. */
export function endStates(model: TraceModel): NodeState[] {
  return model.server === null ? model.deviceStates : [model.server, ...model.deviceStates];
}

/** Whether the trace cannot be judged on its end state: it has writes but no snapshot. */
export function lacksEndState(model: TraceModel): boolean {
  return model.writeCount > 0 && model.server === null && model.deviceStates.length === 0;
}

export const NO_SNAPSHOTS = 'the trace has no end-of-run snapshots';

/**
 * A task the server never had: none of its writes was ever applied there, and either the
 * server refused its creation (the quota) or it was deleted (created and deleted before it
 * ever synced: a correct engine sends nothing). None of its writes can be judged or timed
 * on the server; devices are still judged (they must not show it).
 */
/**
 * A task whose creation the server refused (the quota), and which it never applied: the
 * user was told, and the task rightly lives only on the devices that made it.
 */
export function refusedByServer(model: TraceModel, history: TaskHistory | undefined): boolean {
  if (history === undefined || history.writes.some((w) => model.firstServerApply.has(w.write))) return false;
  return history.writes.some((w) => w.kind === 'create' && model.rejected.has(w.write));
}

export function neverOnServer(model: TraceModel, history: TaskHistory): boolean {
  if (history.writes.some((w) => model.firstServerApply.has(w.write))) return false;
  return history.deletes > 0 || history.writes.some((w) => w.kind === 'create' && model.rejected.has(w.write));
}
