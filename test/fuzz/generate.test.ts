import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateScenario, PROFILE_NAMES, profiles, scenarioToYaml } from '../../src/fuzz/index.ts';
import { parseScenario } from '../../src/scenario/index.ts';

describe('generateScenario', () => {
  it('is a function of the seed: same seed, same YAML; different seeds differ', () => {
    for (const profile of PROFILE_NAMES) {
      const a = scenarioToYaml(generateScenario(profile, 42));
      expect(scenarioToYaml(generateScenario(profile, 42))).toBe(a);
      expect(scenarioToYaml(generateScenario(profile, 43))).not.toBe(a);
    }
    const yamls = new Set(Array.from({ length: 30 }, (_, i) => scenarioToYaml(generateScenario('calm', i + 1))));
    expect(yamls.size).toBe(30);
  });

  it('names the scenario after profile and seed and stays within the profile', () => {
    for (const profile of PROFILE_NAMES) {
      const p = profiles[profile];
      for (let seed = 1; seed <= 20; seed++) {
        const s = generateScenario(profile, seed);
        expect(s.name).toBe(`fuzz-${profile}-${seed}`);
        expect(s.seed).toBe(seed);
        expect(s.devices.length).toBeGreaterThanOrEqual(p.devices[0]);
        expect(s.devices.length).toBeLessThanOrEqual(p.devices[1]);
        expect(s.duration).toBeGreaterThanOrEqual(30_000);
        expect(s.duration).toBeLessThanOrEqual(90_000);
        const ats = s.steps.map((step) => step.at);
        expect(ats).toEqual([...ats].sort((x, y) => x - y));
      }
    }
  });

  it('round-trips through scenarioToYaml and parseScenario unchanged (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PROFILE_NAMES), fc.nat({ max: 1_000_000 }), (profile, seed) => {
        const s = generateScenario(profile, seed);
        expect(parseScenario(scenarioToYaml(s), s.file)).toEqual(s);
      }),
      { numRuns: 150, seed: 20240601 },
    );
  });

  it('gives every write a unique title and names only tasks created earlier', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PROFILE_NAMES), fc.nat({ max: 1_000_000 }), (profile, seed) => {
        const s = generateScenario(profile, seed);
        const titles: string[] = [];
        const created = new Set<string>();
        for (const step of s.steps) {
          if (step.kind === 'create') {
            expect(created.has(step.task)).toBe(false);
            created.add(step.task);
            titles.push(step.title);
          } else if (step.kind === 'update') {
            expect(created.has(step.task)).toBe(true);
            expect(step.title).toBeDefined();
            titles.push(step.title!);
          } else if (step.kind === 'delete') {
            expect(created.has(step.task)).toBe(true);
          }
        }
        expect(new Set(titles).size).toBe(titles.length);
      }),
      { numRuns: 150, seed: 7 },
    );
  });

  it('schedules the faults of its profile', () => {
    const kinds = (profile: (typeof PROFILE_NAMES)[number]) => {
      const seen = new Set<string>();
      for (let seed = 1; seed <= 40; seed++) for (const step of generateScenario(profile, seed).steps) seen.add(step.kind);
      return seen;
    };
    expect([...kinds('calm')].sort()).toEqual(['create', 'delete', 'sync', 'update']);
    const chaos = kinds('chaos');
    for (const k of ['drop', 'network', 'partition', 'heal', 'offline', 'crash', 'restart', 'server-unavailable', 'server-rate-limit', 'server-restart', 'clock', 'app', 'connection', 'storage']) {
      expect(chaos, k).toContain(k);
    }
  });
});
