import { junitXml, type JUnitCase } from '../report/junit.ts';
import type { SeedRecord } from './seed-job.ts';

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

/** `<out>/summary.json` of a fuzz campaign (or of merged shards). */
export interface CampaignSummary {
  tool: 'syncsim fuzz';
  version: 1;
  /** The engine's name, as `run.start.engine` gives it (a module's descriptor `name`). */
  engine: string;
  /** For an engine module: its absolute path (a file or a package folder). */
  engineModule?: string;
  profile: string;
  /** The seed range `start … start+seeds-1` the campaign (or its shards) cover. */
  start: number;
  seeds: number;
  /** The shard this run covered; null for the whole range. */
  shard: Shard | null;
  /** For a merge: the shards it joined. */
  mergedShards?: Array<Shard | null>;
  totals: { seeds: number; passed: number; failed: number; unreproducible: number };
  /** Per checker: how many seeds failed it. */
  checkers: Record<string, number>;
  /** Failing seeds, in order. */
  failures: number[];
  /** One record per seed, in seed order. */
  results: SeedRecord[];
  /** Real-time measurements; the only part that differs between identical campaigns. */
  timing: { jobs: number; wallMs: number; seedsPerMinute: number; seedsPerMinutePerJob: number };
}

export function buildSummary(
  head: Pick<CampaignSummary, 'engine' | 'engineModule' | 'profile' | 'start' | 'seeds' | 'shard'> & { mergedShards?: Array<Shard | null> },
  records: readonly SeedRecord[],
  timing: CampaignSummary['timing'],
): CampaignSummary {
  const results = [...records].sort((a, b) => a.seed - b.seed);
  const checkers: Record<string, number> = {};
  for (const r of results) for (const v of r.violations) checkers[v] = (checkers[v] ?? 0) + 1;
  const failed = results.filter((r) => !r.ok);
  return {
    tool: 'syncsim fuzz',
    version: 1,
    ...head,
    totals: {
      seeds: results.length,
      passed: results.length - failed.length,
      failed: failed.length,
      unreproducible: failed.filter((r) => r.failure !== undefined && !r.failure.reproducible).length,
    },
    checkers: Object.fromEntries(Object.entries(checkers).sort(([a], [b]) => a.localeCompare(b))),
    failures: failed.map((r) => r.seed),
    results,
    timing,
  };
}

export function timingOf(jobs: number, seeds: number, wallMs: number): CampaignSummary['timing'] {
  const perMinute = wallMs > 0 ? (seeds * 60_000) / wallMs : 0;
  return { jobs, wallMs: Math.round(wallMs), seedsPerMinute: Math.round(perMinute), seedsPerMinutePerJob: Math.round(perMinute / Math.max(1, jobs)) };
}

/** One testcase per seed; a failure carries the violations and the command that reproduces it. */
export function campaignJunit(summary: CampaignSummary): string {
  const classname = `syncsim.fuzz.${summary.profile}.${summary.engine}`;
  const cases: JUnitCase[] = summary.results.map((r) => {
    const testcase: JUnitCase = { name: `seed ${r.seed}`, classname, time: r.wallMs / 1000 };
    if (r.ok) return testcase;
    const f = r.failure;
    const body = [
      `seed ${r.seed} (${summary.profile}, ${summary.engine}) failed: ${r.violations.join(', ')}`,
      ...(f === undefined
        ? []
        : [
            `shrunk scenario: ${f.scenarioFile} (${f.steps} of ${r.steps} steps)`,
            ...f.details.map((d) => `  ${d}`),
            f.reproducible ? 'the written scenario reproduces the trace byte for byte' : `NOT REPRODUCIBLE: ${f.problem ?? ''}`,
            `reproduce: ${f.reproduce}`,
          ]),
    ].join('\n');
    return { ...testcase, failure: { message: `violations: ${r.violations.join(', ')}`, type: r.violations[0] ?? 'failure', body } };
  });
  return junitXml({
    name: `syncsim fuzz ${summary.profile} ${summary.engine}`,
    cases,
    properties: { engine: summary.engine, profile: summary.profile, start: String(summary.start), seeds: String(summary.seeds) },
  });
}
