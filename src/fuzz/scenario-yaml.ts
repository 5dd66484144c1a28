import type { NetworkConditions } from '../net/index.ts';
import { formatDuration } from '../scenario/duration.ts';
import { parseScenario } from '../scenario/index.ts';
import type { Expectations, Scenario, Step } from '../scenario/index.ts';
import { unreachable } from '../kernel/index.ts';

/**
 * A scenario as a readable file in the SPEC §2 format: one flow map per step, durations
 * spelled `1500ms`, `5s`, `2m`. `parseScenario` reads it back to the same scenario (the
 * steps' line and column then point into this text).
 */
export function scenarioToYaml(s: Scenario): string {
  return yamlLines(s).lines.join('\n') + '\n';
}

/** The file's lines, and the line (1-based) each step is written on. */
function yamlLines(s: Scenario): { lines: string[]; stepLines: number[] } {
  const stepLines: number[] = [];
  const lines: string[] = [`name: ${str(s.name)}`, `description: ${JSON.stringify(s.description)}`];
  if (s.seed !== undefined) lines.push(`seed: ${s.seed}`);
  if (s.engine !== undefined) lines.push(`engine: ${str(s.engine)}`);
  lines.push(`duration: ${dur(s.duration)}`, 'devices:');
  for (const d of s.devices) {
    const fields = [`id: ${str(d.id)}`, `skew: ${dur(d.skew)}`];
    if (d.drift !== undefined) fields.push(`drift: ${num(d.drift)}`);
    if (d.user !== undefined) fields.push(`user: ${str(d.user)}`);
    lines.push(`  - { ${fields.join(', ')} }`);
  }
  if (Object.keys(s.network).length > 0) lines.push(`network: ${conditions(s.network)}`);
  if (s.steps.length > 0) {
    lines.push('steps:');
    for (const step of s.steps) stepLines.push(lines.push(`  - { ${stepFields(step)} }`));
  }
  const expect = expectations(s.expect);
  if (expect.length > 0) lines.push('expect:', ...expect);
  if (!s.finalHeal) lines.push('finalHeal: false');
  return { lines, stepLines };
}

/** The scenario exactly as a file of it reads back: steps located in that text, `file` set. */
export function normalizeScenario(s: Scenario, file = s.file): Scenario {
  return parseScenario(scenarioToYaml(s), file);
}

/**
 * normalizeScenario for a scenario that is already in the form its file reads back to (a
 * generated one: whole-ms durations, plain titles, every field the parser sets): only where
 * each step sits in the file, without writing and parsing the text, which cost a fuzz seed
 * more than its run. A property test holds it equal to normalizeScenario.
 */
export function locateSteps(s: Scenario, file = s.file): Scenario {
  const { stepLines } = yamlLines(s);
  return { ...s, file, steps: s.steps.map((step, i) => ({ ...step, line: stepLines[i]!, column: STEP_COLUMN })) };
}

/** Where a step's flow map starts on its line: `  - { ...`. */
const STEP_COLUMN = 5;

function stepFields(step: Step): string {
  const at = `at: ${dur(step.at)}`;
  const dev = 'device' in step && step.kind !== 'crash' && step.kind !== 'restart' && step.kind !== 'clock' ? `, device: ${str(step.device)}` : '';
  return `${at}${dev}, ${action(step)}`;
}

function action(step: Step): string {
  switch (step.kind) {
    case 'create':
      return `create: { task: ${str(step.task)}, title: ${JSON.stringify(step.title)}${step.completed !== undefined ? `, completed: ${step.completed}` : ''} }`;
    case 'createMany':
      return `createMany: { task: ${str(step.task)}, count: ${step.count}, title: ${JSON.stringify(step.title)} }`;
    case 'update': {
      const fields = [`task: ${str(step.task)}`];
      if (step.title !== undefined) fields.push(`title: ${JSON.stringify(step.title)}`);
      if (step.completed !== undefined) fields.push(`completed: ${step.completed}`);
      return `update: { ${fields.join(', ')} }`;
    }
    case 'delete':
      return `delete: { task: ${str(step.task)} }`;
    case 'offline':
    case 'online':
    case 'sync':
    case 'read':
      return `${step.kind}: true`;
    case 'app':
      return `app: ${step.state}`;
    case 'connection':
      return `connection: ${step.connection}`;
    case 'backgroundRefresh':
      return `backgroundRefresh: ${dur(step.ms)}`;
    case 'storage':
      return `storage: { failWrites: ${step.failWrites} }`;
    case 'drop': {
      const r = step.rule;
      const fields: string[] = [];
      if (r.from !== undefined) fields.push(`from: ${str(r.from)}`);
      if (r.to !== undefined) fields.push(`to: ${str(r.to)}`);
      fields.push(`match: ${JSON.stringify(r.match)}`, `count: ${r.count}`);
      return `drop: { ${fields.join(', ')} }`;
    }
    case 'partition':
      return `partition: [${step.groups.map((g) => `[${g.map(str).join(', ')}]`).join(', ')}]`;
    case 'heal':
      return 'heal: true';
    case 'crash':
    case 'restart':
      return `${step.kind}: ${str(step.device)}`;
    case 'server-unavailable':
      return `server: { unavailable: ${dur(step.ms)} }`;
    case 'server-rate-limit':
      return `server: { rateLimit: ${step.limit === null ? 0 : `{ capacity: ${num(step.limit.capacity)}, refillPerSecond: ${num(step.limit.refillPerSecond)} }`} }`;
    case 'server-quota':
      return `server: { quota: ${step.limit === null ? 'null' : step.limit} }`;
    case 'server-restart':
      return 'server: { restart: true }';
    case 'network':
      return `network: ${conditions(step.conditions)}`;
    case 'clock':
      return `clock: { device: ${str(step.device)}, skew: ${dur(step.skew)}${step.drift !== undefined ? `, drift: ${num(step.drift)}` : ''} }`;
    default:
      return unreachable(step, 'step');
  }
}

function conditions(c: Partial<NetworkConditions>): string {
  const fields: string[] = [];
  if (c.latency !== undefined) fields.push(`latency: { min: ${dur(c.latency.min)}, max: ${dur(c.latency.max)} }`);
  if (c.drop !== undefined) fields.push(`drop: ${num(c.drop)}`);
  if (c.duplicate !== undefined) fields.push(`duplicate: ${num(c.duplicate)}`);
  if (c.reorder !== undefined) fields.push(`reorder: ${c.reorder}`);
  return `{ ${fields.join(', ')} }`;
}

function expectations(e: Expectations): string[] {
  const lines: string[] = [];
  if (e.tasks !== undefined && Object.keys(e.tasks).length > 0) {
    lines.push('  tasks:');
    for (const [task, want] of Object.entries(e.tasks)) {
      const fields: string[] = [];
      if (want.title !== undefined) fields.push(`title: ${JSON.stringify(want.title)}`);
      if (want.completed !== undefined) fields.push(`completed: ${want.completed}`);
      if (want.deleted !== undefined) fields.push(`deleted: ${want.deleted}`);
      lines.push(`    ${str(task)}: { ${fields.join(', ')} }`);
    }
  }
  if (e.syncLatency !== undefined) lines.push(`  syncLatency: { max: ${dur(e.syncLatency.max)} }`);
  if (e.violations !== undefined) lines.push(`  violations: [${e.violations.map(str).join(', ')}]`);
  return lines;
}

const PLAIN = /^[A-Za-z_][A-Za-z0-9_:-]*$/;
const RESERVED = /^(true|false|null|yes|no|on|off|y|n)$/i;

/** A name as a plain scalar when YAML reads it back as that same string, else quoted. */
function str(s: string): string {
  return PLAIN.test(s) && !RESERVED.test(s) && !s.endsWith(':') ? s : JSON.stringify(s);
}

function dur(ms: number): string {
  return formatDuration(ms);
}

function num(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError(`not a finite number: ${n}`);
  return String(n);
}
