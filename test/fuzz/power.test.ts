import { describe, expect, it } from 'vitest';
import { isCheckerName } from '../../src/check/index.ts';
import { mutantEngines } from '../../src/engines/mutants/index.ts';
import { referenceEngine } from '../../src/engines/reference/index.ts';
import { measurePower } from '../../src/fuzz/power.ts';

describe('the harness\'s power', () => {
  it('kills every mutant within 200 seeds of the default profile, on seeds reference passes', async () => {
    // A mutant whose guarantee has no checker yet (read-your-writes, monotonic-reads) cannot be killed by one.
    const judged = mutantEngines.filter((m) => isCheckerName(m.breaks?.split(':')[0] ?? ''));
    const verdicts = await measurePower(judged, { baseline: referenceEngine, profile: 'swarm', start: 1, maxSeeds: 200, shrinkRuns: 0 });
    const survivors = verdicts.filter((v) => !v.killed).map((v) => v.engine);
    expect(survivors).toEqual([]);
    for (const v of verdicts) expect(v.caughtBy.length, v.engine).toBeGreaterThan(0);
  }, 300_000);
});
