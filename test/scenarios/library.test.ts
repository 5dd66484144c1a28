import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { judgeRun } from '../../src/check/index.ts';
import { findEngine } from '../../src/engines/registry.ts';
import { loadScenario } from '../../src/scenario/index.ts';
import { parseTrace } from '../../src/trace/index.ts';
import { runScenario } from '../../src/world/run-scenario.ts';

const dir = 'scenarios';
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml') || f.endsWith('.json')).sort();

async function run(file: string) {
  const scenario = loadScenario(join(dir, file));
  const engine = findEngine(scenario.engine ?? 'reference')!;
  const outcome = await runScenario(scenario, { seed: scenario.seed ?? 1, engine });
  return { outcome, hash: outcome.world.trace.digest(), bytes: outcome.world.trace.length };
}

describe('the scenario library', () => {
  it('has at least 20 scenarios, each with a description', () => {
    expect(files.length).toBeGreaterThanOrEqual(20);
    for (const file of files) expect(loadScenario(join(dir, file)).description.length).toBeGreaterThan(40);
  });

  for (const file of files) {
    it(`${file}: passes (or fails exactly as expected), twice with the same bytes, and check on its trace agrees`, async () => {
      const first = await run(file);
      const failures = first.outcome.expectationFailures.map((f) => `${f.what}: ${f.message}`);
      expect(failures, `${file} with ${first.outcome.engine}`).toEqual([]);
      expect(first.outcome.ok).toBe(true);
      // `syncsim check` on the file judges it exactly as the run did (SPEC §5): same verdict, same exit code.
      const checked = judgeRun(parseTrace(first.outcome.world.trace.toJSONL()));
      expect(checked).toEqual(first.outcome.verdict);
      expect(checked.ok).toBe(first.outcome.ok);
      const second = await run(file);
      expect(second.hash).toBe(first.hash);
      expect(second.bytes).toBe(first.bytes);
    });
  }
});
