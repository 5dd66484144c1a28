/**
 * Campaigns survive engine errors (SPEC §3.1): a seed whose run throws fails as
 * `engine-error`, is shrunk and written like any failure, and the campaign goes on to write
 * summary.json and junit.xml — in this thread and in worker threads, even when a worker dies.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCampaign, type CampaignSummary } from '../../src/fuzz/index.ts';
import { loadScenario } from '../../src/scenario/index.ts';
import { checkXml } from './xml.ts';

const root = mkdtempSync(join(tmpdir(), 'syncsim-engine-errors-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function comparable(dir: string): unknown {
  const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8').replaceAll(dir, '<out>')) as CampaignSummary;
  return { ...summary, timing: null, results: summary.results.map((r) => ({ ...r, wallMs: 0 })) };
}

describe('a campaign whose engine throws', () => {
  // mutant:memory-queue leaves a failed storage write's rejection unhandled on swarm seed 5.
  const base = { seeds: 2, start: 5, engine: 'mutant:memory-queue', profile: 'swarm' as const, shard: null, maxShrinkRuns: 8 };

  it('records the seed as engine-error, shrinks and writes it, and goes on; 1 job and 2 workers agree', async () => {
    const one = await runCampaign({ ...base, jobs: 1, out: join(root, 'j1') });
    await runCampaign({ ...base, jobs: 2, out: join(root, 'j2') });
    expect(one.results.map((r) => r.seed)).toEqual([5, 6]);
    const seed5 = one.results[0]!;
    expect(seed5.ok).toBe(false);
    expect(seed5.violations).toEqual(['engine-error']);
    const f = seed5.failure!;
    expect(f.details[0]).toMatch(/^engine-error: .*QuotaExceededError/);
    expect(f.steps).toBeLessThan(seed5.steps);
    expect(f.reproducible, f.problem).toBe(true);
    expect(loadScenario(f.scenarioFile).engine).toBe('mutant:memory-queue');
    // runScenario records the error in the trace (the run itself no longer throws).
    expect(readFileSync(f.traceFile!, 'utf8')).toMatch(/"type":"engine-error".*QuotaExceededError/);
    expect(one.checkers['engine-error']).toBe(1);
    const { attributes } = checkXml(readFileSync(join(root, 'j1', 'junit.xml'), 'utf8'));
    expect(attributes.filter((a) => a.name?.startsWith('seed ')).length).toBe(2);
    expect(readFileSync(join(root, 'j1', 'junit.xml'), 'utf8')).toContain('violations: engine-error');
    expect(comparable(join(root, 'j2'))).toEqual(comparable(join(root, 'j1')));
  });

  it('records a seed whose worker thread dies, replaces the worker, and writes the summary', async () => {
    const engine = join(root, 'exits.mjs');
    writeFileSync(engine, "export default { name: 'exits', create() { process.exit(3); } };\n");
    const summary = await runCampaign({ seeds: 3, start: 1, engine, profile: 'calm', jobs: 2, shard: null, out: join(root, 'dies') });
    expect(summary.engine).toBe('exits');
    expect(summary.engineModule).toBe(engine);
    expect(summary.results.map((r) => [r.seed, r.ok, r.violations])).toEqual([1, 2, 3].map((s) => [s, false, ['engine-error']]));
    for (const r of summary.results) {
      expect(r.failure!.details[0]).toMatch(/worker thread exited with code 3/);
      expect(r.failure!.reproducible).toBe(false);
      expect(loadScenario(r.failure!.scenarioFile).engine).toBe('../../../exits.mjs');
    }
    expect(existsSync(join(root, 'dies', 'junit.xml'))).toBe(true);
  });
});
