import { describe, expect, expectTypeOf, it } from 'vitest';
import { scenarioToYaml } from '../../src/fuzz/scenario-yaml.ts';
import { parseScenario, type StepKind } from '../../src/scenario/index.ts';
import { DEVICE_STEP_KINDS } from '../../src/scenario/device-steps.ts';
import { ACTION_KEYS, STEP_KINDS } from '../../src/scenario/step-kinds.ts';
import { USER_STEP_KINDS } from '../../src/scenario/user-steps.ts';
import { WORLD_STEP_KINDS } from '../../src/scenario/world-steps.ts';

const kinds = Object.keys(STEP_KINDS) as StepKind[];

/** A file with every kind's example, one a second in table order, as scenarioToYaml writes it. */
function examplesFile(): string {
  return [
    'name: every-step-kind',
    'description: "One step of every kind."',
    'duration: 1m',
    'devices:',
    '  - { id: phone, skew: 0s }',
    '  - { id: ipad, skew: 0s }',
    'steps:',
    ...kinds.map((kind, i) => `  - { at: ${i + 1}s, ${STEP_KINDS[kind].example} }`),
    '',
  ].join('\n');
}

describe('the table of step kinds', () => {
  it('has an entry for every kind of the Step union and for nothing else', () => {
    // Held by tsc (the table's type is a mapped type over StepKind); this says so where a reader looks.
    expectTypeOf<keyof typeof STEP_KINDS>().toEqualTypeOf<StepKind>();
    const families = [USER_STEP_KINDS, DEVICE_STEP_KINDS, WORLD_STEP_KINDS].map((f) => Object.keys(f));
    expect(families.flat().sort()).toEqual([...kinds].sort());
  });

  it('reads every example as a step of its own kind and writes the file back byte for byte', () => {
    const text = examplesFile();
    const scenario = parseScenario(text, 'every-step-kind.yaml');
    expect(scenario.steps.map((s) => s.kind)).toEqual(kinds);
    expect(scenarioToYaml(scenario)).toBe(text);
  });

  it('gives device to exactly the steps whose example names it first', () => {
    for (const kind of kinds) {
      const entry = STEP_KINDS[kind];
      expect(entry.example.startsWith('device: '), kind).toBe(entry.device);
    }
  });

  it('lists the action keys in the order of the loader\'s message', () => {
    expect(ACTION_KEYS.join(', ')).toBe(
      'create, createMany, update, delete, offline, online, sync, read, app, connection, backgroundRefresh, storage, drop, partition, heal, crash, restart, server, network, clock',
    );
  });
});
