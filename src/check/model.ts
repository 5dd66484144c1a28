import type { AnyTraceEvent, EventOf, SnapshotRow } from '../trace/index.ts';

/**
 * The trace indexed once, in one pass, for every checker. It keeps references to the
 * events (never copies), so indexing a million events allocates little beyond the maps.
 */

export type OpEvent = EventOf<'op'>;
export type SnapshotEvent = EventOf<'snapshot'>;
export type DeviceApplyEvent = EventOf<'device.apply'>;
export type FaultEvent = EventOf<'fault'>;
/** `op` and `id` are optional extras a harness may add (the server's write kind and task id). */
export type ServerApplyEvent = EventOf<'server.apply'> & { op?: 'create' | 'update' | 'delete'; id?: string };

/** Everything the trace says about one scenario task. */
export interface TaskHistory {
  readonly name: string;
  /** Its writes, in seq order. */
  readonly ops: OpEvent[];
  /** Every `server.apply` naming it, in seq order. */
  readonly serverApplies: ServerApplyEvent[];
  /** Delete writes among `ops`. */
  deletes: number;
  /** Devices that made or applied one of its writes: the devices that share it. */
  readonly devices: Set<string>;
}

/** One node's end-of-run snapshot, its rows grouped by logical task. */
export interface NodeState {
  readonly node: string;
  readonly snapshot: SnapshotEvent;
  readonly rows: Map<string, SnapshotRow[]>;
}

export interface TraceModel {
  readonly events: readonly AnyTraceEvent[];
  /** `op` events by write id (the first one, should a trace repeat an id). */
  readonly writes: Map<string, OpEvent>;
  readonly tasks: Map<string, TaskHistory>;
  readonly opCount: number;
  readonly firstOpSeq: number | null;
  readonly opsByDevice: Map<string, OpEvent[]>;
  /** For a write id, the last write of the same task made on a row that reflected it. */
  readonly childOf: Map<string, OpEvent>;
  /** The first `server.apply` of each write with result applied or duplicate. */
  readonly firstServerApply: Map<string, ServerApplyEvent>;
  /** Writes the server answered `rejected` at least once. */
  readonly rejected: Set<string>;
  readonly serverApplyCount: number;
  /** `op` and `device.apply` events in seq order: what each device's rows went through. */
  readonly deviceChanges: Array<OpEvent | DeviceApplyEvent>;
  /** For each write, the first `device.apply` of it on each device. */
  readonly firstDeviceApply: Map<string, DeviceApplyEvent[]>;
  readonly deviceApplyCount: number;
  /** `device.apply` events whose write the device could not name (a tombstone from a delta pull). */
  readonly anonymousApplies: DeviceApplyEvent[];
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
}

function historyOf(tasks: Map<string, TaskHistory>, name: string): TaskHistory {
  let history = tasks.get(name);
  if (history === undefined) {
    history = { name, ops: [], serverApplies: [], deletes: 0, devices: new Set() };
    tasks.set(name, history);
  }
  return history;
}

/** Indexes a trace in one pass. Events are trusted to have their type's fields (the reader validates files). */
export function indexTrace(events: readonly AnyTraceEvent[]): TraceModel {
  const writes = new Map<string, OpEvent>();
  const tasks = new Map<string, TaskHistory>();
  const opsByDevice = new Map<string, OpEvent[]>();
  const childOf = new Map<string, OpEvent>();
  const firstServerApply = new Map<string, ServerApplyEvent>();
  const rejected = new Set<string>();
  const deviceChanges: Array<OpEvent | DeviceApplyEvent> = [];
  const firstDeviceApply = new Map<string, DeviceApplyEvent[]>();
  const anonymousApplies: DeviceApplyEvent[] = [];
  const faults: FaultEvent[] = [];
  const ruleDrops: AnyTraceEvent[] = [];
  const messages = { send: 0, deliver: 0, drop: 0, dup: 0 };
  const devices = new Set<string>();
  const snapshots = new Map<string, SnapshotEvent>();
  let opCount = 0;
  let firstOpSeq: number | null = null;
  let serverApplyCount = 0;
  let deviceApplyCount = 0;
  let firstSnapshotT: number | null = null;

  for (const event of events) {
    switch (event.type) {
      case 'op': {
        const op = event as OpEvent;
        opCount++;
        firstOpSeq ??= op.seq;
        if (writes.has(op.write)) break;
        writes.set(op.write, op);
        const history = historyOf(tasks, op.task);
        history.ops.push(op);
        if (isDelete(op)) history.deletes++;
        history.devices.add(op.device);
        devices.add(op.device);
        let own = opsByDevice.get(op.device);
        if (own === undefined) opsByDevice.set(op.device, (own = []));
        own.push(op);
        if (op.basis !== null && writes.get(op.basis)?.task === op.task) childOf.set(op.basis, op);
        deviceChanges.push(op);
        break;
      }
      case 'server.apply': {
        const apply = event as ServerApplyEvent;
        serverApplyCount++;
        const name = (apply.write !== null ? writes.get(apply.write)?.task : undefined) ?? apply.task;
        historyOf(tasks, name).serverApplies.push(apply);
        if (apply.write !== null) {
          if ((apply.result === 'applied' || apply.result === 'duplicate') && !firstServerApply.has(apply.write)) firstServerApply.set(apply.write, apply);
          if (apply.result === 'rejected') rejected.add(apply.write);
        }
        break;
      }
      case 'device.apply': {
        const apply = event as DeviceApplyEvent;
        deviceApplyCount++;
        deviceChanges.push(apply);
        if (apply.write === null) {
          anonymousApplies.push(apply);
          devices.add(apply.device);
          break;
        }
        const firsts = firstDeviceApply.get(apply.write);
        if (firsts === undefined) firstDeviceApply.set(apply.write, [apply]);
        else if (firsts.some((f) => f.device === apply.device)) break; // seen: nothing new to learn
        else firsts.push(apply);
        devices.add(apply.device);
        const op = writes.get(apply.write);
        if (op !== undefined) historyOf(tasks, op.task).devices.add(apply.device);
        break;
      }
      case 'fault':
        faults.push(event as FaultEvent);
        break;
      case 'snapshot': {
        const snapshot = event as SnapshotEvent;
        firstSnapshotT ??= snapshot.t;
        snapshots.delete(snapshot.node); // the last one counts, in order of its appearance
        snapshots.set(snapshot.node, snapshot);
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
  const model = {
    events, writes, tasks, opCount, firstOpSeq, opsByDevice, childOf, firstServerApply, rejected,
    serverApplyCount, deviceChanges, firstDeviceApply, deviceApplyCount, anonymousApplies, faults, ruleDrops, messages,
    devices: [...devices],
    server: null as NodeState | null,
    deviceStates: [] as NodeState[],
    endT: firstSnapshotT ?? last?.t ?? 0,
  };
  for (const snapshot of snapshots.values()) {
    const state = nodeState(model, snapshot);
    if (snapshot.node === 'server') model.server = state;
    else {
      model.deviceStates.push(state);
      for (const task of state.rows.keys()) tasks.get(task)?.devices.add(snapshot.node);
    }
  }
  return model;
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
 * The logical task a snapshot row belongs to: its `task` when that names a task with
 * writes, else the task of the write it holds (a row the harness could not name, such as
 * one an engine re-keyed), else its `task` as it is.
 */
export function taskOfRow(model: Pick<TraceModel, 'tasks' | 'writes'>, row: SnapshotRow): string {
  if (model.tasks.has(row.task)) return row.task;
  const op = row.write === null ? undefined : model.writes.get(row.write);
  return op?.task ?? row.task;
}

export function isDelete(op: OpEvent): boolean {
  return op.kind === 'delete' || op.value.deleted === true;
}

/** Every end-of-run node: the server first, then the devices. */
export function endStates(model: TraceModel): NodeState[] {
  return model.server === null ? model.deviceStates : [model.server, ...model.deviceStates];
}

/** Whether the trace cannot be judged on its end state: it has writes but no snapshot. */
export function lacksEndState(model: TraceModel): boolean {
  return model.opCount > 0 && model.server === null && model.deviceStates.length === 0;
}

export const NO_SNAPSHOTS = 'the trace has no end-of-run snapshots';

/**
 * A task the server never had: none of its writes was ever applied there, and either the
 * server refused its creation (the quota) or it was deleted (created and deleted before it
 * ever synced: a correct engine sends nothing). None of its writes can be judged or timed
 * on the server; devices are still judged (they must not show it).
 */
export function neverOnServer(model: TraceModel, history: TaskHistory): boolean {
  if (history.ops.some((op) => model.firstServerApply.has(op.write))) return false;
  return history.deletes > 0 || history.ops.some((op) => op.kind === 'create' && model.rejected.has(op.write));
}
