import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCampaign, type CampaignSummary } from '../../src/fuzz/index.ts';
import { mergeCampaigns, MergeError } from '../../src/fuzz/merge.ts';
import { checkXml } from './xml.ts';

const root = mkdtempSync(join(tmpdir(), 'syncsim-fuzz-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** summary.json without what may differ between equal campaigns: timings and the output folder. */
function comparable(dir: string): unknown {
  const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8').replaceAll(dir, '<out>')) as CampaignSummary;
  return { ...summary, timing: null, results: summary.results.map((r) => ({ ...r, wallMs: 0 })) };
}

describe('runCampaign', () => {
  it('gives the same summary.json with 1 job and with 2 worker threads; reference passes calm', async () => {
    const progress: number[] = [];
    const one = await runCampaign({ seeds: 10, start: 1, engine: 'reference', profile: 'calm', jobs: 1, shard: null, out: join(root, 'j1'), onProgress: (p) => progress.push(p.done) });
    await runCampaign({ seeds: 10, start: 1, engine: 'reference', profile: 'calm', jobs: 2, shard: null, out: join(root, 'j2') });
    expect(one.totals).toEqual({ seeds: 10, passed: 10, failed: 0, unreproducible: 0 });
    expect(progress).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(comparable(join(root, 'j2'))).toEqual(comparable(join(root, 'j1')));
    const { attributes } = checkXml(readFileSync(join(root, 'j1', 'junit.xml'), 'utf8'));
    expect(attributes.filter((a) => a.name?.startsWith('seed ')).length).toBe(10);
  });

  it('merges shard folders into the campaign of the whole range, and refuses overlaps and mismatches', async () => {
    const base = { seeds: 6, start: 3, engine: 'naive', profile: 'calm' as const, jobs: 1, maxShrinkRuns: 20 };
    await runCampaign({ ...base, shard: { index: 1, count: 2 }, out: join(root, 's1') });
    await runCampaign({ ...base, shard: { index: 2, count: 2 }, out: join(root, 's2') });
    const merged = mergeCampaigns([join(root, 's2'), join(root, 's1')], join(root, 'merged'));
    expect(merged.results.map((r) => r.seed)).toEqual([3, 4, 5, 6, 7, 8]);
    expect(merged.mergedShards).toEqual([{ index: 2, count: 2 }, { index: 1, count: 2 }]);
    expect(merged.totals.seeds).toBe(6);
    for (const r of merged.results) if (r.failure) expect(readFileSync(r.failure.scenarioFile, 'utf8')).toContain(`seed: ${r.seed}`);
    const { attributes } = checkXml(readFileSync(join(root, 'merged', 'junit.xml'), 'utf8'));
    expect(attributes.filter((a) => a.name?.startsWith('seed ')).length).toBe(6);
    expect(() => mergeCampaigns([join(root, 's1'), join(root, 's1')], join(root, 'bad'))).toThrow(/overlapping seeds/);
    expect(() => mergeCampaigns([join(root, 's1'), join(root, 'j1')], join(root, 'bad'))).toThrow(MergeError);
  });
});
