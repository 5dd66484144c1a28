import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { syncsimRun } from './cli.ts';

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * SPEC §1 for an unmodified library: the same scenario, seed and engine give the same
 * trace bytes in two separate processes (module-level state of WatermelonDB and LokiJS
 * included). A crash and clock skew are in the scenarios, so the durability window, the
 * device clocks and the seeded ids are all exercised.
 */
describe('determinism across processes', () => {
  for (const [scenario, seed] of [['three-devices-offline', '3'], ['crash-after-local-write', '5'], ['clock-skew', '7']] as const) {
    it(`${scenario}, seed ${seed}: two processes, one trace`, () => {
      const args = [`../../scenarios/${scenario}.yaml`, '--engine', './', '--seed', seed];
      const first = syncsimRun(args);
      const second = syncsimRun(args);
      expect(first.trace, first.output).not.toBe('');
      expect(sha(second.trace)).toBe(sha(first.trace));
    });
  }

  it('another seed gives another trace', () => {
    const a = syncsimRun(['../../scenarios/three-devices-offline.yaml', '--engine', './', '--seed', '3']);
    const b = syncsimRun(['../../scenarios/three-devices-offline.yaml', '--engine', './', '--seed', '4']);
    expect(a.trace, a.output).not.toBe('');
    expect(sha(a.trace)).not.toBe(sha(b.trace));
  });
});
