import { CreatedTasks } from './created-tasks.ts';
import { parseDuration } from './duration.ts';
import type { Pos } from './errors.ts';
import { SCENARIO_LIMITS } from './limits.ts';
import type { LEntry, LNode } from './located.ts';
import { at, kindOf, type Fields, type Reader } from './read.ts';
import { NodeRefs } from './refs.ts';
import type { StepReadContext } from './step-kind.ts';
import { ACTION_KEYS, kindsOfKey, type KeyKinds } from './step-kinds.ts';
import type { Step, StepBase } from './types.ts';

const STEP_KEYS = ['at', 'device', ...ACTION_KEYS];

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
  const list = ctx.read.seq(node, 'steps');
  if (!list) return { steps, tasks: new Set(), readable: false };
  if (list.items.length > SCENARIO_LIMITS.steps) {
    ctx.read.issues.add(list.pos, `steps has ${list.items.length} steps; a scenario has at most ${SCENARIO_LIMITS.steps}`);
    return { steps, tasks: new Set(), readable: false };
  }
  const reader = new StepReader(ctx);
  let previous: { at: number; pos: Pos; text: string } | undefined;
  for (const item of list.items) {
    const step = reader.step(item);
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
  return { steps, tasks: reader.tasks.names(), readable: true };
}

/** One step at a time, in file order. Returns undefined when anything about it is wrong (the issues say what). */
class StepReader {
  readonly tasks: CreatedTasks;
  private readonly read: Reader;
  private readonly context: StepReadContext;

  constructor(private readonly ctx: StepContext) {
    this.read = ctx.read;
    this.tasks = new CreatedTasks(ctx.read);
    this.context = { read: ctx.read, refs: new NodeRefs(ctx.read, ctx.devices), tasks: this.tasks };
  }

  step(node: LNode): Step | undefined {
    const before = this.read.issues.count;
    const fields = this.read.map(node, 'step', STEP_KEYS);
    if (!fields) return undefined;
    const base = this.base(fields);
    const action = this.action(fields);
    const step = action && this.body(fields, action.entry, action.kinds, base);
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

  /** The step's one action key, and the kinds it spells. */
  private action(fields: Fields): { entry: LEntry; kinds: KeyKinds } | undefined {
    const actions = fields.keys.flatMap((k) => {
      const kinds = kindsOfKey(k);
      return kinds ? [{ entry: fields.entry(k)!, kinds }] : [];
    });
    const [first, second] = actions;
    if (first === undefined) {
      this.read.issues.add(fields.pos, `step has no action; expected one of ${ACTION_KEYS.join(', ')}`);
      return undefined;
    }
    if (second !== undefined) {
      this.read.issues.add(second.entry.keyPos, `step has more than one action (${actions.map((a) => a.entry.key).join(', ')}); give one per step`);
      return undefined;
    }
    const { entry, kinds: [kind] } = first;
    const deviceEntry = fields.entry('device');
    if (kind.device && !deviceEntry) this.read.issues.add(entry.keyPos, `'${entry.key}' needs 'device' in the step`);
    if (!kind.device && deviceEntry) this.read.issues.add(deviceEntry.keyPos, `'device' does not go with '${entry.key}'${kind.deviceHint ?? ''}`);
    return first;
  }

  private body(fields: Fields, action: LEntry, kinds: KeyKinds, base: StepBase): Step | undefined {
    if (!kinds[0].device) return this.kindStep(kinds, action, base);
    const deviceNode = fields.get('device');
    const device = deviceNode && this.context.refs.device(deviceNode, 'the step');
    // Read on without a device, so one pass reports the action's own problems too.
    const step = this.kindStep(kinds, action, { ...base, device: device ?? '' });
    return device === undefined ? undefined : step;
  }

  /** The step of one of the kinds the action key spells; a key with subkeys takes a mapping with exactly one of them. */
  private kindStep(kinds: KeyKinds, action: LEntry, start: StepBase & { device?: string }): Step | undefined {
    const subkeys = kinds.flatMap((k) => k.subkey ?? []);
    if (subkeys.length === 0) return kinds[0].read(action.value, start, this.context);
    const r = this.read;
    const f = r.map(action.value, action.key, subkeys);
    if (!f) return undefined;
    const [key, extra] = f.keys;
    if (key === undefined) {
      r.issues.add(f.pos, `${action.key} step changes nothing; give one of ${subkeys.join(', ')}`);
      return undefined;
    }
    if (extra !== undefined) {
      r.issues.add(f.entry(extra)!.keyPos, `${action.key} step has more than one change (${f.keys.join(', ')}); give one per step`);
      return undefined;
    }
    return kinds.find((k) => k.subkey === key)?.read(f.get(key)!, start, this.context);
  }
}
