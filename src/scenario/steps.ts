import { parseDuration } from './duration.ts';
import type { Pos } from './errors.ts';
import type { LEntry, LNode } from './located.ts';
import { at, kindOf, type Fields, type Reader } from './read.ts';
import { NodeRefs } from './refs.ts';
import type { AppState, DeviceStep, Step, StepBase } from './types.ts';
import { WORLD_ACTIONS, WorldStepReader, type WorldAction } from './world-steps.ts';

export const TASK_NAME = /^[A-Za-z0-9_-]+$/;
const TASK_SHAPE = '[A-Za-z0-9_-]+';

const DEVICE_ACTIONS = ['create', 'createMany', 'update', 'delete', 'offline', 'online', 'sync', 'read', 'app', 'connection', 'backgroundRefresh', 'storage'] as const;
type DeviceAction = (typeof DEVICE_ACTIONS)[number];
const ACTIONS: readonly string[] = [...DEVICE_ACTIONS, ...WORLD_ACTIONS];
const STEP_KEYS = ['at', 'device', ...ACTIONS];

export interface StepContext {
  read: Reader;
  /** Device ids the file declares, or null when `devices` itself is unusable (then references are not checked). */
  devices: ReadonlySet<string> | null;
  /** Scenario duration, when valid. */
  duration: number | undefined;
}

/** The steps, plus every task name some step creates (for `expect.tasks`). */
export interface StepsResult {
  steps: Step[];
  tasks: Set<string>;
  /** False when `steps` is not even a list (then task names cannot be checked). */
  readable: boolean;
}

/**
 * Reads the timeline. Steps are checked in file order, which must also be time order, so
 * "created before" means "earlier in the file".
 */
export function readSteps(node: LNode, ctx: StepContext): StepsResult {
  const steps: Step[] = [];
  const created = new Map<string, Pos>();
  const list = ctx.read.seq(node, 'steps');
  if (!list) return { steps, tasks: new Set(), readable: false };
  let previous: { at: number; pos: Pos; text: string } | undefined;
  for (const item of list.items) {
    const step = new StepReader(ctx, created).step(item);
    if (step !== undefined) steps.push(step);
    // Order is checked on every readable `at`, even in a step that is wrong otherwise.
    const atNode = item.type === 'map' ? item.entries.find((e) => e.key === 'at')?.value : undefined;
    const time = atNode?.type === 'scalar' ? parseDuration(atNode.value) : undefined;
    if (atNode === undefined || !time?.ok) continue;
    // Compared with the step just before, so one misplaced step is reported once.
    if (previous !== undefined && time.ms < previous.at) {
      ctx.read.issues.add(atNode.pos, `steps must be sorted by 'at': ${kindOf(atNode)} comes after ${previous.text} (at ${at(previous.pos)})`);
    }
    previous = { at: time.ms, pos: atNode.pos, text: kindOf(atNode) };
  }
  return { steps, tasks: new Set(created.keys()), readable: true };
}

/** One step. Returns undefined when anything about it is wrong (the issues say what). */
class StepReader {
  private readonly read: Reader;
  private readonly refs: NodeRefs;

  constructor(
    private readonly ctx: StepContext,
    private readonly created: Map<string, Pos>,
  ) {
    this.read = ctx.read;
    this.refs = new NodeRefs(ctx.read, ctx.devices);
  }

  step(node: LNode): Step | undefined {
    const before = this.read.issues.count;
    const fields = this.read.map(node, 'step', STEP_KEYS);
    if (!fields) return undefined;
    const base = this.base(fields);
    const action = this.action(fields);
    const step = action && this.body(fields, action, base);
    return step && this.read.issues.count === before ? step : undefined;
  }

  private base(fields: Fields): StepBase {
    const atNode = fields.required('at');
    const time = atNode && this.read.duration(atNode, 'at');
    const { duration } = this.ctx;
    if (atNode && time !== undefined && duration !== undefined && time > duration) {
      this.read.issues.add(atNode.pos, `at ${kindOf(atNode)} is after the scenario's duration (${duration} ms)`);
    }
    return { at: time ?? 0, line: fields.pos.line, column: fields.pos.column };
  }

  /** The step's one action key. */
  private action(fields: Fields): LEntry | undefined {
    const actions = fields.keys.filter((k) => ACTIONS.includes(k)).map((k) => fields.entry(k)!);
    const [first, second] = actions;
    if (first === undefined) {
      this.read.issues.add(fields.pos, `step has no action; expected one of ${ACTIONS.join(', ')}`);
      return undefined;
    }
    if (second !== undefined) {
      this.read.issues.add(second.keyPos, `step has more than one action (${actions.map((a) => a.key).join(', ')}); give one per step`);
      return undefined;
    }
    const deviceEntry = fields.entry('device');
    const forDevice = (DEVICE_ACTIONS as readonly string[]).includes(first.key);
    if (forDevice && !deviceEntry) this.read.issues.add(first.keyPos, `'${first.key}' needs 'device' in the step`);
    if (!forDevice && deviceEntry) this.read.issues.add(deviceEntry.keyPos, `'device' does not go with '${first.key}'${first.key === 'clock' ? '; put it inside clock' : ''}`);
    return first;
  }

  private body(fields: Fields, action: LEntry, base: StepBase): Step | undefined {
    if ((DEVICE_ACTIONS as readonly string[]).includes(action.key)) {
      const deviceNode = fields.get('device');
      const device = deviceNode && this.refs.device(deviceNode, 'the step');
      const step = this.deviceAction(action.key as DeviceAction, action.value, base, device ?? '');
      return device === undefined ? undefined : step;
    }
    return new WorldStepReader(this.read, this.refs).step(action.key as WorldAction, action.value, base);
  }

  private deviceAction(action: DeviceAction, value: LNode, base: StepBase, device: string): DeviceStep | undefined {
    const r = this.read;
    const common = { ...base, device };
    switch (action) {
      case 'create': {
        const f = r.map(value, 'create', ['task', 'title', 'completed']);
        if (!f) return undefined;
        const task = this.taskName(f, 'create');
        const titleNode = f.required('title');
        const title = titleNode && r.string(titleNode, 'title');
        const completed = this.optionalBoolean(f, 'completed');
        if (task === undefined || title === undefined) return undefined;
        return { ...common, kind: 'create', task, title, ...(completed !== undefined && { completed }) };
      }
      case 'createMany': {
        const f = r.map(value, 'createMany', ['task', 'count', 'title']);
        if (!f) return undefined;
        const countNode = f.required('count');
        const count = countNode && r.number(countNode, 'count', { integer: true, positive: true });
        const prefixNode = f.required('task');
        const prefix = prefixNode && r.name(prefixNode, 'createMany.task', TASK_NAME, TASK_SHAPE);
        const titleNode = f.get('title');
        const title = titleNode ? r.string(titleNode, 'title') : prefix;
        if (count === undefined || prefix === undefined || title === undefined || prefixNode === undefined) return undefined;
        if (count > 100_000) r.issues.add(countNode!.pos, `createMany.count is at most 100000, got ${count}`);
        for (let i = 1; i <= count; i++) this.register(`${prefix}-${i}`, prefixNode.pos);
        return { ...common, kind: 'createMany', task: prefix, count, title };
      }
      case 'update': {
        const f = r.map(value, 'update', ['task', 'title', 'completed']);
        if (!f) return undefined;
        const task = this.taskName(f, 'update');
        const titleNode = f.get('title');
        const title = titleNode && r.string(titleNode, 'title');
        const completed = this.optionalBoolean(f, 'completed');
        if (!f.has('title') && !f.has('completed')) r.issues.add(f.pos, `update changes nothing; give title and/or completed`);
        if (task === undefined) return undefined;
        return { ...common, kind: 'update', task, ...(title !== undefined && { title }), ...(completed !== undefined && { completed }) };
      }
      case 'delete': {
        const f = r.map(value, 'delete', ['task']);
        const task = f && this.taskName(f, 'delete');
        return task === undefined ? undefined : { ...common, kind: 'delete', task };
      }
      case 'offline':
      case 'online':
      case 'sync':
      case 'read':
        return r.isTrue(value, action) ? { ...common, kind: action } : undefined;
      case 'app': {
        const state = r.oneOf<AppState>(value, 'app', ['background', 'foreground', 'terminate']);
        return state && { ...common, kind: 'app', state };
      }
      case 'connection': {
        const connection = r.oneOf(value, 'connection', ['wifi', 'cellular', 'none'] as const);
        return connection && { ...common, kind: 'connection', connection };
      }
      case 'backgroundRefresh': {
        const ms = r.duration(value, 'backgroundRefresh', { positive: true });
        return ms === undefined ? undefined : { ...common, kind: 'backgroundRefresh', ms };
      }
      case 'storage': {
        const f = r.map(value, 'storage', ['failWrites']);
        const n = f?.required('failWrites');
        const failWrites = n && r.number(n, 'failWrites', { integer: true, positive: true });
        return failWrites === undefined ? undefined : { ...common, kind: 'storage', failWrites };
      }
    }
  }

  private taskName(f: Fields, what: string): string | undefined {
    const node = f.required('task');
    const task = node && this.read.name(node, `${what}.task`, TASK_NAME, TASK_SHAPE);
    if (node === undefined || task === undefined) return undefined;
    const first = this.created.get(task);
    if (what === 'create') {
      if (first) this.read.issues.add(node.pos, `task '${task}' is already created at ${at(first)}; create each task once`);
      else this.created.set(task, node.pos);
    } else if (!first) {
      this.read.issues.add(node.pos, `task '${task}' is never created before this step`);
    }
    return task;
  }

  /** A task some step creates; a second creation of the same name is an error. */
  private register(task: string, pos: Pos): void {
    const first = this.created.get(task);
    if (first) this.read.issues.add(pos, `task '${task}' is already created at ${at(first)}; create each task once`);
    else this.created.set(task, pos);
  }

  private optionalBoolean(f: Fields, key: string): boolean | undefined {
    const node = f.get(key);
    return node && this.read.boolean(node, key);
  }
}
