import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { engineSpecFrom, isModulePath } from '../engines/engine-spec.ts';
import { writeCampaign } from './campaign.ts';
import type { SeedRecord } from './seed-job.ts';
import { buildSummary, timingOf, type CampaignSummary } from './summary.ts';

/** A merge that cannot be made: the message says which directories disagree and how. */
export class MergeError extends Error {}

/**
 * Joins the outputs of fuzz shards (each a `summary.json` + `junit.xml` + `failures/`) into
 * one: every seed once, in order; failure folders copied under `<out>/failures/`. Refuses
 * shards of different engines or profiles, and seeds that appear in two directories.
 */
export function mergeCampaigns(dirs: readonly string[], out: string): CampaignSummary {
  if (dirs.length === 0) throw new MergeError('give at least one directory to merge');
  const parts = dirs.map((dir) => ({ dir, summary: readSummary(dir) }));
  const first = parts[0]!;
  for (const { dir, summary } of parts) {
    if (summary.engine !== first.summary.engine) throw new MergeError(`${dir} fuzzed engine ${summary.engine}, but ${first.dir} fuzzed ${first.summary.engine}`);
    if (summary.profile !== first.summary.profile) throw new MergeError(`${dir} used profile ${summary.profile}, but ${first.dir} used ${first.summary.profile}`);
  }
  const owner = new Map<number, string>();
  const records: SeedRecord[] = [];
  for (const { dir, summary } of parts) {
    const overlap: number[] = [];
    for (const record of summary.results) {
      const earlier = owner.get(record.seed);
      if (earlier !== undefined) overlap.push(record.seed);
      else owner.set(record.seed, dir);
    }
    if (overlap.length > 0) {
      const shown = overlap.slice(0, 10).join(', ') + (overlap.length > 10 ? `, … (${overlap.length} seeds)` : '');
      throw new MergeError(`overlapping seeds: ${dir} and ${owner.get(overlap[0]!)} both ran seed ${shown}`);
    }
    for (const record of summary.results) records.push(relocate(record, dir, out));
  }
  const start = Math.min(...parts.map((p) => p.summary.start));
  const end = Math.max(...parts.map((p) => p.summary.start + p.summary.seeds));
  const wallMs = Math.max(...parts.map((p) => p.summary.timing.wallMs));
  const jobs = parts.reduce((sum, p) => sum + p.summary.timing.jobs, 0);
  const merged = buildSummary(
    { engine: first.summary.engine, profile: first.summary.profile, start, seeds: end - start, shard: null, mergedShards: parts.map((p) => p.summary.shard) },
    records,
    timingOf(jobs, records.length, wallMs),
  );
  writeCampaign(out, merged);
  return merged;
}

function readSummary(dir: string): CampaignSummary {
  const file = join(dir, 'summary.json');
  if (!existsSync(file)) throw new MergeError(`${dir} has no summary.json (is it the --out of a fuzz run?)`);
  let summary: CampaignSummary;
  try {
    summary = JSON.parse(readFileSync(file, 'utf8')) as CampaignSummary;
  } catch (error) {
    throw new MergeError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  if (summary.tool !== 'syncsim fuzz' || !Array.isArray(summary.results)) throw new MergeError(`${file} is not a syncsim fuzz summary`);
  return summary;
}

/** Copies a failure's folder into the merged output and points the record at the copy. */
function relocate(record: SeedRecord, dir: string, out: string): SeedRecord {
  const f = record.failure;
  if (f === undefined) return record;
  const from = join(dir, 'failures', String(record.seed));
  const to = join(out, 'failures', String(record.seed));
  if (!existsSync(from) || relative(from, to) === '') return record;
  cpSync(from, to, { recursive: true });
  const scenarioFile = join(to, 'scenario.yaml');
  const moved = { scenarioFile, reproduce: `npx syncsim run ${scenarioFile}`, ...(f.traceFile !== undefined && { traceFile: join(to, 'trace.jsonl') }), ...(f.errorFile !== undefined && { errorFile: join(to, 'engine-error.txt') }) };
  rebaseEngine(scenarioFile, from, to);
  return { ...record, failure: { ...f, ...moved } };
}

/** A module engine named relative to the failure's folder is named again relative to the copy, so the copy still runs. */
function rebaseEngine(scenarioFile: string, from: string, to: string): void {
  const text = readFileSync(scenarioFile, 'utf8');
  const line = /^engine: (.*)$/m.exec(text);
  if (line === null) return;
  const spec = line[1]!.startsWith('"') ? (JSON.parse(line[1]!) as string) : line[1]!;
  if (!isModulePath(spec) || isAbsolute(spec)) return;
  const rebased = engineSpecFrom(to, resolve(from, spec));
  writeFileSync(scenarioFile, text.replace(line[0], () => `engine: ${JSON.stringify(rebased)}`));
}
