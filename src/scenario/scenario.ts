import { isEngineSpec } from '../engines/engine-spec.ts';
import { TASK_NAME } from './created-tasks.ts';
import type { Pos } from './errors.ts';
import { SCENARIO_LIMITS } from './limits.ts';
import type { LNode } from './located.ts';
import { readConditions } from './network.ts';
import { at, kindOf, type Reader } from './read.ts';
import { readSteps } from './steps.ts';
import { CHECKER_NAMES, type DeviceSpec, type Expectations, type Scenario, type TaskExpectation } from './types.ts';

const NAME = /^[a-z0-9-]+$/;
const NAME_SHAPE = '[a-z0-9-]+';
const USER = /^[A-Za-z0-9_-]+$/;
const TOP_KEYS = ['name', 'description', 'seed', 'engine', 'duration', 'devices', 'network', 'steps', 'expect', 'finalHeal'];

/**
 * Validates the whole file. Returns a scenario only when the reader recorded no issue;
 * otherwise the caller reports the issues and returns nothing.
 */
export function readScenario(r: Reader, root: LNode, file: string): Scenario | undefined {
  const f = r.map(root, 'scenario', TOP_KEYS);
  if (!f) return undefined;
  const nameNode = f.required('name');
  const name = nameNode && r.name(nameNode, 'name', NAME, NAME_SHAPE);
  const descriptionNode = f.required('description');
  const description = descriptionNode && r.string(descriptionNode, 'description');
  if (descriptionNode && description !== undefined && description.trim() === '') r.issues.add(descriptionNode.pos, 'description must not be empty');
  const seedNode = f.get('seed');
  const seed = seedNode && r.number(seedNode, 'seed', { integer: true, min: 0 });
  const engineNode = f.get('engine');
  const engine = engineNode && readEngine(r, engineNode);
  const durationNode = f.required('duration');
  const duration = durationNode && r.duration(durationNode, 'duration');
  const devicesNode = f.required('devices');
  const devices = devicesNode ? readDevices(r, devicesNode) : { specs: [], ids: null };
  const networkNode = f.get('network');
  const network = networkNode ? readConditions(r, networkNode, 'network') : {};
  const stepsNode = f.get('steps');
  const { steps, tasks, readable } = stepsNode
    ? readSteps(stepsNode, { read: r, devices: devices.ids, duration })
    : { steps: [], tasks: new Set<string>(), readable: true };
  const expectNode = f.get('expect');
  const expect = expectNode ? readExpectations(r, expectNode, readable ? tasks : null) : {};
  const finalHealNode = f.get('finalHeal');
  const finalHeal = finalHealNode ? r.boolean(finalHealNode, 'finalHeal') : true;
  if (r.issues.count > 0) return undefined;
  return {
    name: name!,
    description: description!,
    ...(seed !== undefined && { seed }),
    ...(engine !== undefined && { engine }),
    duration: duration!,
    devices: devices.specs,
    network: network!,
    steps,
    expect,
    finalHeal: finalHeal!,
    file,
  };
}

/** A built-in name, or a module path relative to the file's folder (loaded when the scenario runs, not here). */
function readEngine(r: Reader, node: LNode): string | undefined {
  const value = r.string(node, 'engine');
  if (value === undefined) return undefined;
  if (isEngineSpec(value)) return value;
  r.issues.add(node.pos, `engine ${JSON.stringify(value)} must match reference, naive or mutant:<name>, or be a module path (./my-engine.ts: a .js, .mjs, .ts or .mts file, or a package folder)`);
  return undefined;
}

/** The devices, and every id the file spells out (even a malformed one, so that steps naming it do not pile up errors). */
function readDevices(r: Reader, node: LNode): { specs: DeviceSpec[]; ids: Set<string> | null } {
  const list = r.seq(node, 'devices');
  if (!list) return { specs: [], ids: null };
  if (list.items.length === 0) r.issues.add(list.pos, 'devices must list at least one device');
  if (list.items.length > SCENARIO_LIMITS.devices) {
    r.issues.add(list.pos, `devices lists ${list.items.length} devices; a scenario has at most ${SCENARIO_LIMITS.devices}`);
    return { specs: [], ids: null };
  }
  const specs: DeviceSpec[] = [];
  const ids = new Set<string>();
  const first = new Map<string, Pos>();
  for (const item of list.items) {
    const f = r.map(item, 'device', ['id', 'skew', 'drift', 'user']);
    if (!f) continue;
    const idNode = f.required('id');
    const rawId = idNode?.type === 'scalar' && typeof idNode.value === 'string' ? idNode.value : undefined;
    if (rawId !== undefined && rawId !== 'server') ids.add(rawId);
    let id = idNode && r.name(idNode, 'device id', NAME, NAME_SHAPE);
    if (idNode && id === 'server') {
      r.issues.add(idNode.pos, `device id 'server' is reserved for the server`);
      id = undefined;
    }
    if (idNode && id !== undefined) {
      const earlier = first.get(id);
      if (earlier) r.issues.add(idNode.pos, `duplicate device id '${id}' (first at ${at(earlier)})`);
      else first.set(id, idNode.pos);
    }
    const skewNode = f.get('skew');
    const skew = skewNode ? r.duration(skewNode, 'skew', { allowNegative: true }) : 0;
    const driftNode = f.get('drift');
    const drift = driftNode && r.number(driftNode, 'drift (ppm)');
    const userNode = f.get('user');
    const user = userNode && r.name(userNode, 'user', USER, '[A-Za-z0-9_-]+');
    if (id === undefined || skew === undefined) continue;
    specs.push({ id, skew, ...(drift !== undefined && { drift }), ...(user !== undefined && { user }) });
  }
  return { specs, ids };
}

function readExpectations(r: Reader, node: LNode, tasks: ReadonlySet<string> | null): Expectations {
  const f = r.map(node, 'expect', ['tasks', 'syncLatency', 'violations']);
  if (!f) return {};
  const out: Expectations = {};
  const tasksNode = f.get('tasks');
  if (tasksNode) out.tasks = readTaskExpectations(r, tasksNode, tasks);
  const latencyNode = f.get('syncLatency');
  if (latencyNode) {
    const l = r.map(latencyNode, 'expect.syncLatency', ['max']);
    const maxNode = l?.required('max');
    const max = maxNode && r.duration(maxNode, 'syncLatency.max', { positive: true });
    if (max !== undefined) out.syncLatency = { max };
  }
  const violationsNode = f.get('violations');
  if (violationsNode) out.violations = readViolations(r, violationsNode);
  return out;
}

/** `tasks` is null when the steps could not be read, so names cannot be checked against them. */
function readTaskExpectations(r: Reader, node: LNode, tasks: ReadonlySet<string> | null): Record<string, TaskExpectation> {
  const out: Record<string, TaskExpectation> = {};
  if (node.type !== 'map') {
    r.issues.add(node.pos, `expect.tasks must be a mapping from task name to its final state, got ${kindOf(node)}`);
    return out;
  }
  for (const entry of node.entries) {
    if (!TASK_NAME.test(entry.key)) {
      r.issues.add(entry.keyPos, `task name ${JSON.stringify(entry.key)} must match [A-Za-z0-9_-]+`);
      continue;
    }
    if (tasks && !tasks.has(entry.key)) {
      r.issues.add(entry.keyPos, `expect.tasks names task '${entry.key}', which no step creates`);
      continue;
    }
    const what = `expect.tasks.${entry.key}`;
    const t = r.map(entry.value, what, ['title', 'completed', 'deleted']);
    if (!t) continue;
    const want: TaskExpectation = {};
    const titleNode = t.get('title');
    const title = titleNode && r.string(titleNode, 'title');
    if (title !== undefined) want.title = title;
    const completedNode = t.get('completed');
    const completed = completedNode && r.boolean(completedNode, 'completed');
    if (completed !== undefined) want.completed = completed;
    const deletedNode = t.get('deleted');
    const deleted = deletedNode && r.boolean(deletedNode, 'deleted');
    if (deleted !== undefined) want.deleted = deleted;
    if (deleted === true && (titleNode || completedNode)) r.issues.add(deletedNode!.pos, `${what}: a deleted task has no title or completed to expect`);
    out[entry.key] = want;
  }
  return out;
}

function readViolations(r: Reader, node: LNode): string[] {
  const list = r.seq(node, 'expect.violations');
  if (!list) return [];
  const out: string[] = [];
  for (const item of list.items) {
    const name = r.oneOf(item, 'expect.violations entry', CHECKER_NAMES);
    if (name === undefined) continue;
    if (out.includes(name)) r.issues.add(item.pos, `checker ${kindOf(item)} is listed twice in expect.violations`);
    else out.push(name);
  }
  return out;
}
