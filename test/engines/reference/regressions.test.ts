import { describe, expect, it } from 'vitest';
import { referenceEngine } from '../../../src/engines/reference/index.ts';
import { parseScenario } from '../../../src/scenario/index.ts';
import { runScenario } from '../../../src/world/run-scenario.ts';

/** Failures the fuzzer found in `reference`, shrunk, kept so they stay fixed. */
const regressions: Record<string, string> = {
  // A pull lost to a 43% drop rate timed out; the syncs asked for meanwhile (the final
  // heal's) were dropped behind the backoff, so the mac never pulled the last edit.
  'flaky-network-8': `
name: fuzz-flaky-network-8
description: flaky-network seed 8, shrunk
seed: 8
duration: 52s
devices: [{ id: phone }, { id: ipad }, { id: mac }, { id: watch }]
steps:
  - { at: 5150ms, device: ipad, create: { task: t1, title: "w1" } }
  - { at: 23300ms, network: { drop: 0.43 } }
  - { at: 27550ms, device: watch, update: { task: t1, title: "w7" } }
expect:
  syncLatency: { max: 35s }
  tasks:
    t1: { title: "w7" }
`,
  // The phone's pull failed on a disk error and waited a full network backoff (1–2 s)
  // before trying again, so the iPad's edit reached it after 5.6 s.
  'crashy-9': `
name: fuzz-crashy-9
description: crashy seed 9, shrunk
seed: 9
duration: 63s
devices: [{ id: phone }, { id: ipad }]
steps:
  - { at: 21s, device: ipad, create: { task: t2, title: "w4" } }
  - { at: 27950ms, device: phone, update: { task: t2, title: "w5", completed: true } }
  - { at: 44050ms, device: ipad, update: { task: t2, title: "w9", completed: true } }
  - { at: 47750ms, device: phone, storage: { failWrites: 1 } }
`,
};

describe('reference regressions found by fuzzing', () => {
  for (const [name, yaml] of Object.entries(regressions)) {
    it(name, async () => {
      const scenario = parseScenario(yaml, `${name}.yaml`);
      const outcome = await runScenario(scenario, { seed: scenario.seed!, engine: referenceEngine });
      expect(outcome.expectationFailures).toEqual([]);
      expect(outcome.violations).toEqual([]);
    });
  }
});
