import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findEngine } from '../../src/engines/registry.ts';
import { runSeed, shrinkFailure, writeFailure } from '../../src/fuzz/index.ts';
import { loadScenario } from '../../src/scenario/index.ts';
import { runScenario } from '../../src/world/run-scenario.ts';

const root = mkdtempSync(join(tmpdir(), 'syncsim-shrink-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('shrinkFailure', () => {
  it('shrinks a naive failure to a smaller scenario that fails the same checkers and reruns byte for byte', async () => {
    const naive = findEngine('naive')!;
    let failing;
    for (let seed = 1; seed <= 20 && failing === undefined; seed++) {
      const run = await runSeed(seed, 'calm', naive);
      if (!run.ok && run.scenario.steps.length >= 6) failing = run;
    }
    expect(failing, 'naive fails some calm seed').toBeDefined();
    const shrunk = await shrinkFailure(failing!, { engine: naive, maxRuns: 150 });
    expect(shrunk.runs).toBeLessThanOrEqual(150);
    expect(shrunk.steps).toBeLessThan(shrunk.originalSteps);
    expect(shrunk.run.ok).toBe(false);
    expect(shrunk.run.violations).toEqual(failing!.violations);

    const written = await writeFailure(root, shrunk.run);
    expect(written.problem).toBeUndefined();
    expect(written.reproducible).toBe(true);
    expect(written.scenarioFile).toBe(join(root, 'failures', String(failing!.seed), 'scenario.yaml'));
    expect(written.reproduce).toBe(`npx syncsim run ${written.scenarioFile}`);
    const text = readFileSync(written.scenarioFile, 'utf8');
    expect(text).toContain(`seed: ${failing!.seed}`);
    expect(text).toContain('engine: naive');

    // As `syncsim run` does it: load the file, run with its seed and engine.
    const loaded = loadScenario(written.scenarioFile);
    const rerun = await runScenario(loaded, { seed: loaded.seed!, engine: findEngine(loaded.engine!)! });
    expect(rerun.world.trace.toJSONL()).toBe(readFileSync(written.traceFile!, 'utf8'));
    expect([...rerun.violations].sort()).toEqual(failing!.violations.filter((v) => v !== 'quiescence'));
  });
});
