import { describe, expect, it } from 'vitest';
import { parseScenario, ScenarioError } from '../../src/scenario/index.ts';

const file = (steps: string) => `name: many
description: bulk
duration: 10s
devices: [{ id: phone }]
steps:
${steps}`;

describe('createMany (extension for large task counts)', () => {
  it('creates <task>-1 … <task>-N that later steps and expectations may name', () => {
    const scenario = parseScenario(
      file(`  - { at: 1s, device: phone, createMany: { task: bulk, count: 3, title: Item } }
  - { at: 2s, device: phone, update: { task: bulk-3, completed: true } }
expect:
  tasks:
    bulk-2: { title: "Item 2" }`),
      'many.yaml',
    );
    expect(scenario.steps[0]).toMatchObject({ kind: 'createMany', device: 'phone', task: 'bulk', count: 3, title: 'Item', line: 6 });
  });

  it('rejects a bad count and a name created twice, with locations', () => {
    const text = file(`  - { at: 1s, device: phone, createMany: { task: bulk, count: 0 } }
  - { at: 1s, device: phone, create: { task: a-1, title: x } }
  - { at: 2s, device: phone, createMany: { task: a, count: 2 } }`);
    expect(() => parseScenario(text, 'many.yaml')).toThrow(ScenarioError);
    try {
      parseScenario(text, 'many.yaml');
    } catch (error) {
      const message = (error as ScenarioError).message;
      expect(message).toMatch(/^many\.yaml:6:\d+: .*count/m);
      expect(message).toMatch(/^many\.yaml:8:\d+: task 'a-1' is already created/m);
    }
  });
});
