/** The loader's bounds (src/scenario/limits.ts): each refusal is a located ScenarioError, reached at once. */
import { describe, expect, it } from 'vitest';
import { parseScenario, ScenarioError } from '../../src/scenario/index.ts';
import { SCENARIO_LIMITS } from '../../src/scenario/limits.ts';

const HEAD = 'name: limits\ndescription: d\nduration: 1m\ndevices:\n  - id: phone\n  - id: ipad\n';

function problems(text: string, file = 'x.yaml'): string[] {
  try {
    parseScenario(text, file);
  } catch (error) {
    expect(error).toBeInstanceOf(ScenarioError);
    return (error as Error).message.split('\n');
  }
  throw new Error('the scenario was accepted');
}

describe('scenario limits', () => {
  it('an alias bomb is refused where it blows up; ordinary aliases, redefined anchors included, still work', () => {
    const levels = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i <= 9; i++) levels.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
    expect(problems(`${levels.join('\n')}\n${HEAD}`)).toEqual([expect.stringMatching(/^x\.yaml:6:\d+: aliases expand the document past 1000000 values/)]);
    const reused = `${HEAD}steps:\n  - { at: 1s, device: phone, create: &c { task: t1, title: one } }\n  - { at: 2s, device: &d ipad, create: &c { task: t2, title: two } }\n  - { at: 3s, device: *d, update: { task: t2, title: *d } }\n`;
    const scenario = parseScenario(reused, 'x.yaml');
    expect(scenario.steps.map((s) => ('device' in s ? s.device : ''))).toEqual(['phone', 'ipad', 'ipad']);
  });

  it('steps, devices and created tasks are bounded', () => {
    const step = '  - {at: 0, device: phone, sync: true}\n';
    expect(parseScenario(`${HEAD}steps:\n${step.repeat(SCENARIO_LIMITS.steps)}`, 'x.yaml').steps).toHaveLength(SCENARIO_LIMITS.steps);
    expect(problems(`${HEAD}steps:\n${step.repeat(SCENARIO_LIMITS.steps + 1)}`)).toEqual(['x.yaml:8:3: steps has 10001 steps; a scenario has at most 10000']);
    const devices = Array.from({ length: SCENARIO_LIMITS.devices + 1 }, (_, i) => `  - id: d${i}\n`).join('');
    expect(problems(`name: limits\ndescription: d\nduration: 1m\ndevices:\n${devices}`)).toEqual(['x.yaml:5:3: devices lists 101 devices; a scenario has at most 100']);
    const many = (count: number) => `  - { at: 1s, device: phone, createMany: { task: m${count}, count: ${count} } }\n`;
    expect(parseScenario(`${HEAD}steps:\n${many(60_000)}${many(40_000)}`, 'x.yaml').steps).toHaveLength(2);
    expect(problems(`${HEAD}steps:\n${many(60_000)}${many(40_001)}`)).toEqual([expect.stringMatching(/^x\.yaml:9:\d+: createMany\.count 40001 would create more than 100000 tasks in the scenario \(40000 left\)$/)]);
  });

  it('every duration is at most 30 days, negative skews too', () => {
    expect(parseScenario(HEAD.replace('1m', '720h'), 'x.yaml').duration).toBe(SCENARIO_LIMITS.durationMs);
    expect(problems(HEAD.replace('1m', '721h'))).toEqual(['x.yaml:3:11: duration is at most 30 days (2592000000 ms), got "721h"']);
    expect(problems(HEAD.replace('id: ipad', 'id: ipad\n    skew: -800h'))).toEqual(['x.yaml:7:11: skew is at most 30 days (2592000000 ms), got "-800h"']);
    expect(problems(`${HEAD}network: { latency: { min: 0, max: 9999999999 } }\n`)).toEqual([expect.stringMatching(/^x\.yaml:7:\d+: .*max is at most 30 days/)]);
  });

  it('text over 1 MiB is refused before it is parsed; a message lists the first 100 problems', () => {
    expect(problems(`${HEAD}# ${'x'.repeat(SCENARIO_LIMITS.fileBytes)}\n`)).toEqual([expect.stringMatching(/^x\.yaml:1:1: the file is \d+ bytes; a scenario file is at most 1048576 bytes/)]);
    const lines = problems(`${HEAD}${Array.from({ length: 150 }, (_, i) => `k${i}: 1\n`).join('')}`);
    expect(lines).toHaveLength(101);
    expect(lines[100]).toBe('x.yaml: and 50 more problems');
  });
});
