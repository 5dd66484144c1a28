import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateScenario, PROFILE_NAMES, scenarioToYaml } from '../../src/fuzz/index.ts';
import { locateSteps, normalizeScenario } from '../../src/fuzz/scenario-yaml.ts';
import { loadScenario, parseScenario } from '../../src/scenario/index.ts';

const stripLocations = (s: ReturnType<typeof parseScenario>) => ({ ...s, file: '', steps: s.steps.map(({ line: _l, column: _c, ...rest }) => rest) });

describe('scenarioToYaml', () => {
  it('writes every scenario of the library so that it reads back the same', () => {
    const dir = 'scenarios';
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml'))) {
      const s = loadScenario(join(dir, file));
      expect(stripLocations(parseScenario(scenarioToYaml(s), file)), file).toEqual(stripLocations(s));
    }
  });

  it('uses flow maps per step and readable durations', () => {
    const s = parseScenario(
      [
        'name: tiny',
        'description: "quotes \\" and: colons"',
        'seed: 3',
        'engine: naive',
        'duration: 90s',
        'devices: [{ id: phone, skew: -1500ms }, { id: "true" }]',
        'steps:',
        '  - { at: 1500ms, device: phone, create: { task: t1, title: "a: b" } }',
        '  - { at: 2s, server: { rateLimit: 0 } }',
        '  - { at: 3s, partition: [[phone], ["true", server]] }',
      ].join('\n'),
      'tiny.yaml',
    );
    const yaml = scenarioToYaml(s);
    expect(yaml).toContain('  - { at: 1500ms, device: phone, create: { task: t1, title: "a: b" } }');
    expect(yaml).toContain('duration: 90s');
    expect(yaml).toContain('skew: -1500ms');
    expect(stripLocations(parseScenario(yaml, 'tiny.yaml'))).toEqual(stripLocations(s));
    expect(parseScenario(scenarioToYaml(parseScenario(yaml, 'tiny.yaml')), 'tiny.yaml')).toEqual(parseScenario(yaml, 'tiny.yaml'));
  });

  it('locates a generated scenario\'s steps exactly as writing and parsing its file would, for every profile', () => {
    for (const profile of PROFILE_NAMES) {
      for (let seed = 1; seed <= 60; seed++) {
        const generated = generateScenario(profile, seed);
        for (const variant of [generated, { ...generated, engine: 'mutant:memory-queue' }, { ...generated, description: `${generated.description} Shrunk.` }]) {
          expect(locateSteps(variant), `${profile} ${seed}`).toEqual(normalizeScenario(variant));
        }
      }
    }
  });
});
