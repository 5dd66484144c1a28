import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateScenario, PROFILE_NAMES, profileFor, profiles, scenarioToYaml } from '../../src/fuzz/index.ts';
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
    expect([...kinds('calm')].sort()).toEqual(['create', 'delete', 'read', 'sync', 'update']);
    const chaos = kinds('chaos');
    for (const k of ['drop', 'network', 'partition', 'heal', 'offline', 'crash', 'restart', 'server-unavailable', 'server-rate-limit', 'server-restart', 'clock', 'app', 'connection', 'storage']) {
      expect(chaos, k).toContain(k);
    }
  });

  it('stretches a few swarm seeds to a long horizon: the run and its fault periods, not its writes', () => {
    const seeds = Array.from({ length: 1_000 }, (_, i) => i + 1);
    const long = seeds.filter((seed) => (profileFor('swarm', seed).timescale ?? 1) > 1);
    expect(long.length).toBeGreaterThan(15);
    expect(long.length).toBeLessThan(70);
    for (const seed of long.slice(0, 5)) {
      const scale = profileFor('swarm', seed).timescale!;
      expect(scale).toBeGreaterThanOrEqual(10);
      expect(scale).toBeLessThanOrEqual(40);
      const s = generateScenario('swarm', seed);
      expect(s.duration).toBeGreaterThanOrEqual(45_000 * scale);
      expect(s.duration).toBeLessThanOrEqual(75_000 * scale);
      const writes = s.steps.filter((step) => step.kind === 'create' || step.kind === 'update' || step.kind === 'delete');
      expect(writes.length).toBeLessThanOrEqual(20);
      // Writes spread over the whole stretched run.
      expect(Math.max(...writes.map((w) => w.at))).toBeGreaterThan(75_000);
    }
    // The other profiles never stretch.
    for (const name of PROFILE_NAMES) if (name !== 'swarm') expect(profiles[name].timescale ?? 1).toBe(1);
  });

  it('holds a seed with a bulk create to the bulk objective (10 s), like the library\'s large-10k-tasks', () => {
    let bulk = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const s = generateScenario('swarm', seed);
      const hasBulk = s.steps.some((step) => step.kind === 'createMany');
      const objective = s.expect.syncLatency?.max;
      if (hasBulk) {
        bulk++;
        expect(objective).toBeGreaterThanOrEqual(10_000);
      } else if (!s.steps.some((step) => step.kind === 'connection')) {
        expect(objective).toBeUndefined();
      }
    }
    expect(bulk).toBeGreaterThan(3);
  });
});
