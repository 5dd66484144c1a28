/** A campaign of an engine module: its failure files name the module relative to their folder, and still do after a merge moves them. */
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runCampaign, verifyReproduction } from '../../src/fuzz/index.ts';
import { mergeCampaigns } from '../../src/fuzz/merge.ts';

const root = mkdtempSync(join(tmpdir(), 'syncsim-module-campaign-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
copyFileSync(fileURLToPath(new URL('../fixtures/engines/tiny-engine.ts', import.meta.url)), join(root, 'engine.ts'));

describe('a module engine campaign', () => {
  it('writes reproductions that a merge into another folder keeps runnable', async () => {
    const engine = join(root, 'engine.ts');
    const shard = await runCampaign({ seeds: 1, start: 2, engine, profile: 'skewed', jobs: 1, shard: null, out: join(root, 'ci/shards/1'), maxShrinkRuns: 10 });
    const failure = shard.results[0]!.failure!;
    expect(failure.reproducible, failure.problem).toBe(true);
    expect(readFileSync(failure.scenarioFile, 'utf8')).toContain('engine: "../../../../../engine.ts"');
    const merged = mergeCampaigns([join(root, 'ci/shards/1')], join(root, 'merged'));
    const moved = merged.results[0]!.failure!;
    expect(moved.scenarioFile).toBe(join(root, 'merged/failures/2/scenario.yaml'));
    expect(readFileSync(moved.scenarioFile, 'utf8')).toContain('engine: "../../../engine.ts"');
    expect(await verifyReproduction(moved.scenarioFile, readFileSync(moved.traceFile!, 'utf8'))).toBeUndefined();
  });
});
