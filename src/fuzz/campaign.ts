import { RemoteServerError } from '../remote/index.ts';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProfileName } from './profiles.ts';
import type { EngineDescriptor } from '../engines/engine.ts';
import { EngineLoadError, resolveEngine, type ResolvedEngine } from '../engines/resolve.ts';
import { fuzzSeed, unfinishedSeed, type SeedJobConfig, type SeedRecord } from './seed-job.ts';
import { buildSummary, campaignJunit, timingOf, type CampaignSummary, type Shard } from './summary.ts';
import { WorkerPool } from './worker-pool.ts';

export interface CampaignProgress {
  done: number;
  total: number;
  failures: number;
  seedsPerSecond: number;
}

export interface CampaignOptions {
  seeds: number;
  start: number;
  /**
   * A built-in name, or an engine module path (relative to the working directory); or a
   * descriptor object, which runs in this thread only (jobs 1): worker threads load engines by path.
   */
  engine: string | EngineDescriptor;
  profile: ProfileName;
  /** Worker threads; 1 runs in this thread. */
  jobs: number;
  shard: Shard | null;
  out: string;
  /** Shrink failures (default true). */
  shrink?: boolean;
  /** Candidate runs per shrink (default 300). */
  maxShrinkRuns?: number;
  /** Keep each seed's judgement in its record (`SeedRecord.judged`), for a report card. */
  judged?: boolean;
  onProgress?: (progress: CampaignProgress) => void;
}

/** Real time, for throughput only (never inside a simulated run). */
const now = () => performance.now();

/**
 * The seeds a shard covers: seed s of `start … start+seeds-1` belongs to shard
 * `(s - start) % count == index - 1`, so n shards cover the range once, with no overlap.
 */
export function shardSeeds(start: number, seeds: number, shard: Shard | null): number[] {
  const all = Array.from({ length: seeds }, (_, i) => start + i);
  if (shard === null) return all;
  if (!Number.isInteger(shard.count) || shard.count < 1 || !Number.isInteger(shard.index) || shard.index < 1 || shard.index > shard.count) {
    throw new RangeError(`bad shard ${shard.index}/${shard.count}`);
  }
  return all.filter((s) => (s - start) % shard.count === shard.index - 1);
}

/**
 * Runs every seed of the campaign (or of its shard), shrinking and writing failures, and
 * writes `<out>/summary.json` and `<out>/junit.xml`. Results are merged in seed order, so
 * the outputs do not depend on `jobs` (except the timing block). A seed whose run throws
 * fails as `engine-error` and the campaign goes on; an engine that cannot be loaded
 * rejects with an EngineLoadError before any seed runs.
 */
export async function runCampaign(options: CampaignOptions): Promise<CampaignSummary> {
  const seeds = shardSeeds(options.start, options.seeds, options.shard);
  const given = typeof options.engine === 'string' ? undefined : options.engine;
  if (given !== undefined && options.jobs > 1) {
    throw new EngineLoadError(`engine "${given.name}" was given as an object, which only this thread can run: use jobs 1, or give the engine's module path so that each worker thread loads it`);
  }
  const engine: ResolvedEngine = typeof options.engine === 'string' ? await resolveEngine(options.engine, process.cwd()) : { descriptor: options.engine, spec: options.engine.name };
  const config: SeedJobConfig = {
    // Resolved once here: workers get the module's absolute path and load it themselves.
    engine: engine.spec,
    profile: options.profile,
    out: options.out,
    shrink: options.shrink ?? true,
    ...(options.maxShrinkRuns !== undefined && { maxShrinkRuns: options.maxShrinkRuns }),
    ...(options.judged === true && { judged: true }),
    ...(given !== undefined && { inMemory: true }),
  };
  mkdirSync(options.out, { recursive: true });
  const started = now();
  const records: SeedRecord[] = [];
  let failures = 0;
  const onRecord = (record: SeedRecord) => {
    records.push(record);
    if (!record.ok) failures++;
    const elapsed = (now() - started) / 1000;
    options.onProgress?.({ done: records.length, total: seeds.length, failures, seedsPerSecond: elapsed > 0 ? records.length / elapsed : 0 });
  };
  const jobs = Math.max(1, Math.min(options.jobs, seeds.length));
  const lost = (seed: number, reason: string, wallMs: number) => unfinishedSeed(seed, config, reason, wallMs);
  if (jobs === 1) {
    for (const seed of seeds) onRecord(await fuzzSeedOrLost(seed, config, lost, given));
  } else {
    await new WorkerPool(jobs, config, now).run(seeds, onRecord, lost);
  }
  const summary = buildSummary(
    { engine: engine.descriptor.name, ...(engine.module !== undefined && { engineModule: engine.spec }), profile: options.profile, start: options.start, seeds: options.seeds, shard: options.shard },
    records,
    timingOf(options.jobs, records.length, now() - started),
  );
  writeCampaign(options.out, summary);
  return summary;
}

/** In this thread, as a worker would: a job that throws costs its seed, not the campaign. */
async function fuzzSeedOrLost(seed: number, config: SeedJobConfig, lost: (seed: number, reason: string, wallMs: number) => SeedRecord, given?: EngineDescriptor): Promise<SeedRecord> {
  const started = now();
  try {
    return await fuzzSeed(seed, config, now, given);
  } catch (error) {
    if (error instanceof RemoteServerError) throw error;
    return lost(seed, error instanceof Error ? (error.stack ?? error.message) : String(error), now() - started);
  }
}

export function writeCampaign(out: string, summary: CampaignSummary): void {
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
  writeFileSync(join(out, 'junit.xml'), campaignJunit(summary));
}
