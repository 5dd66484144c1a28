import { parseScenario } from '../scenario/index.ts';
import type { Expectations, Scenario, Step } from '../scenario/index.ts';
import { writeStep } from '../scenario/step-kinds.ts';
import { conditions, dur, num, str } from '../scenario/yaml-text.ts';

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
  return `at: ${dur(step.at)}, ${writeStep(step)}`;
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
