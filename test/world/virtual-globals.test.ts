import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/api/run-scenario.ts';
import { fuzz } from '../../src/api/fuzz.ts';
import { DATE_ORIGIN_MS } from '../../src/world/device-host.ts';
import { globalsReference } from '../fixtures/engines/globals-reference.ts';

/** An engine that reads the platform's globals, run in full scenarios (SPEC §3.2). */
describe('virtual globals in whole runs', () => {
  it.each(['clock-skew', 'crash-after-local-write', 'partition-heal', 'app-killed-by-os'])(
    '%s passes with the engine on the globals, and gives the same bytes twice',
    async (name) => {
      const first = await runScenario(`scenarios/${name}.yaml`, { engine: globalsReference, seed: 7 });
      const second = await runScenario(`scenarios/${name}.yaml`, { engine: globalsReference, seed: 7 });
      expect(first.violations).toEqual([]);
      expect(first.ok).toBe(true);
      expect(second.traceText()).toBe(first.traceText());
    },
  );

  it("the engine's stamps come from each device's own clock, skew and later changes included", async () => {
    // The fixture reads Date.now() less DATE_ORIGIN_MS: the ports' clock, through the globals.
    const yaml = [
      'name: skewed-globals',
      'description: each device stamps with its own clock',
      'duration: 40s',
      'devices:',
      '  - { id: ahead, skew: 1h }',
      '  - { id: behind, skew: -10s }',
      'steps:',
      '  - { at: 15s, device: behind, create: { task: b, title: "B" } }',
      '  - { at: 16s, device: ahead, create: { task: a, title: "A" } }',
      '  - { at: 20s, clock: { device: behind, skew: 2h } }',
      '  - { at: 21s, device: behind, create: { task: c, title: "C" } }',
    ].join('\n');
    const run = await runScenario(yaml, { engine: globalsReference, seed: 1 });
    const ops = run.events.filter((e) => e.type === 'op') as unknown as Array<{ device: string; task: string; stamp: string; t: number }>;
    const physical = (task: string) => {
      const op = ops.find((o) => o.task === task)!;
      return Number.parseInt(op.stamp, 10) - op.t;
    };
    expect([physical('a'), physical('b'), physical('c')]).toEqual([3_600_000, -10_000, 7_200_000]);
  });

  it('a swarm campaign on the globals passes', async () => {
    const campaign = await fuzz({ engine: globalsReference, profile: 'swarm', seeds: 15, start: 1 });
    expect(campaign.failures.map((f) => f.seed)).toEqual([]);
  });
});

describe('virtual globals: the date origin', () => {
  it('Date in a device reads DATE_ORIGIN_MS plus its clock, so libraries see 2026, not 1970', async () => {
    const seen: number[] = [];
    const engine = {
      ...globalsReference,
      name: 'date-reader',
      create: (ports: Parameters<typeof globalsReference.create>[0]) => {
        seen.push(Date.now() - ports.clock.now());
        return globalsReference.create(ports);
      },
    };
    await runScenario('scenarios/clock-skew.yaml', { engine, seed: 1 });
    expect(new Set(seen)).toEqual(new Set([DATE_ORIGIN_MS]));
    expect(new Date(DATE_ORIGIN_MS).toISOString()).toBe('2026-01-01T00:00:00.000Z');
  });
});
