/**
 * Engines judged from the outside (issue 11): an engine that records nothing and ignores
 * the harness's labels is judged from what users did and saw. A correct one passes the
 * library and fuzzing; the broken ones are caught within 100 swarm seeds.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { EngineDescriptor } from '../../src/engines/engine.ts';
import { referenceEngine } from '../../src/engines/reference/index.ts';
import { measurePower } from '../../src/fuzz/power.ts';
import { runSeed } from '../../src/fuzz/run-seed.ts';
import { loadScenario } from '../../src/scenario/index.ts';
import { runScenario } from '../../src/world/run-scenario.ts';
import { keepsNothingEngine, offlineWritesStayEngine, silentEngine, staleCacheEngine } from '../fixtures/engines/black-box.ts';

const library = readdirSync(new URL('../../scenarios/', import.meta.url))
  .filter((f) => f.endsWith('.yaml') && !f.startsWith('naive-'))
  .map((f) => new URL(`../../scenarios/${f}`, import.meta.url).pathname);

describe('a correct engine that records nothing', () => {
  it.each(library.map((file) => [file.split('/').at(-1)!, file]))('passes %s', async (_name, file) => {
    const scenario = loadScenario(file);
    const outcome = await runScenario(scenario, { seed: scenario.seed ?? 1, engine: silentEngine });
    const events = outcome.world.trace.events;
    expect(events.some((e) => e.type === 'op' || e.type === 'device.apply')).toBe(false);
    expect(events.some((e) => e.type === 'invoke')).toBe(true);
    expect(outcome.expectationFailures, outcome.checks.flatMap((c) => c.violations.slice(0, 2).map((v) => `${c.checker}: ${v.message}`)).join('\n')).toEqual([]);
  });

  it('passes 40 swarm seeds, and its verdicts are judged on writes', async () => {
    for (let seed = 1; seed <= 40; seed++) {
      const run = await runSeed(seed, 'swarm', silentEngine);
      expect(run.violations, `seed ${seed}`).toEqual([]);
      if (run.outcome === null) continue;
      const durability = run.outcome.checks.find((c) => c.checker === 'durability')!;
      expect(durability.stats!.writes).toBeGreaterThan(0);
    }
  });
});

describe.each<[string, EngineDescriptor, string[]]>([
  ['keeps no write', keepsNothingEngine, ['durability', 'read-your-writes']],
  ['never sends writes made offline', offlineWritesStayEngine, ['convergence']],
  ['shows a stale cache as its list', staleCacheEngine, ['convergence']],
])('an engine that %s', (_what, engine, caughtBy) => {
  it(`is caught within 100 swarm seeds, by ${caughtBy.join(' and ')} among others`, async () => {
    const [verdict] = await measurePower([engine], { baseline: referenceEngine, profile: 'swarm', start: 1, maxSeeds: 100, shrinkRuns: 0 });
    expect(verdict!.killed).toBe(true);
    for (const checker of caughtBy) expect(verdict!.caughtBy).toContain(checker);
  });
});
