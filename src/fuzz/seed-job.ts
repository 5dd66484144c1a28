import type { EngineDescriptor } from '../engines/engine.ts';
import { resolveEngine } from '../engines/resolve.ts';
import { writeFailure, writeUnfinishedFailure, type WrittenFailure } from './failure-files.ts';
import { generateScenario } from './generate.ts';
import { seedJudgement, thrownJudgement, type RunJudgement } from './judgement.ts';
import type { ProfileName } from './profiles.ts';
import { runSeed } from './run-seed.ts';
import { normalizeScenario } from './scenario-yaml.ts';
import { shrinkFailure } from './shrink.ts';
import type { SeedRun } from './run-seed.ts';

/** What a campaign needs to process one seed; plain data, so it crosses to worker threads. */
export interface SeedJobConfig {
  /** A built-in name, or an engine module's absolute path (each thread loads the module itself). */
  engine: string;
  profile: ProfileName;
  out: string;
  shrink: boolean;
  maxShrinkRuns?: number;
  /** Keep each seed's judgement in its record (for `syncsim conform`); off for `syncsim fuzz`, whose summary.json stays as it was. */
  judged?: boolean;
  /** True when the engine was handed in as an object (in this thread only): files then name no engine. */
  inMemory?: boolean;
}

/** One seed's line in `summary.json`. */
export interface SeedRecord {
  seed: number;
  ok: boolean;
  /** The checkers that failed (plus `quiescence` if the run never settled, `engine-error` if it threw). */
  violations: string[];
  /** Steps in the generated scenario. */
  steps: number;
  /** Real time spent on this seed, shrinking included (not deterministic). */
  wallMs: number;
  failure?: WrittenFailure & {
    shrunk: boolean;
    /** Steps in the written scenario. */
    steps: number;
    shrinkRuns: number;
    /** The shrunk scenario's failing checkers (the same as the seed's). */
    violations: string[];
    /** The first few violation messages of the written run (for an engine error: its message). */
    details: string[];
  };
  /** With `config.judged`: what the run judged (for a report card). */
  judged?: RunJudgement;
}

/** Runs one seed; a failure is shrunk (unless disabled), written under `<out>/failures/<seed>/` and verified. */
export async function fuzzSeed(seed: number, config: SeedJobConfig, now: () => number, given?: EngineDescriptor): Promise<SeedRecord> {
  const started = now();
  // An absolute path or a built-in name: the same engine from any working directory.
  const engine = given ?? (await resolveEngine(config.engine, process.cwd())).descriptor;
  const run = await runSeed(seed, config.profile, engine, given === undefined ? config.engine : null);
  const record: SeedRecord = { seed, ok: run.ok, violations: run.violations, steps: run.scenario.steps.length, wallMs: 0 };
  if (!run.ok) {
    const shrunk = config.shrink ? await shrinkFailure(run, { engine, maxRuns: config.maxShrinkRuns ?? 300 }) : undefined;
    const best = shrunk === undefined ? run : described(shrunk.run, `${run.scenario.description} Shrunk from ${run.scenario.steps.length} to ${shrunk.steps} steps.`);
    const written = await writeFailure(config.out, best, given);
    record.failure = { ...written, shrunk: shrunk !== undefined, steps: best.scenario.steps.length, shrinkRuns: shrunk?.runs ?? 0, violations: best.violations, details: details(best) };
    if (config.judged === true) record.judged = seedJudgement(run, best);
  } else if (config.judged === true) {
    record.judged = seedJudgement(run);
  }
  record.wallMs = Math.round(now() - started);
  return record;
}

/**
 * The record of a seed whose job died before it could report (its worker thread crashed,
 * or the job itself threw): a failing seed with `engine-error`, its generated scenario
 * written as it is, so the campaign can go on.
 */
export function unfinishedSeed(seed: number, config: SeedJobConfig, reason: string, wallMs: number): SeedRecord {
  const generated = generateScenario(config.profile, seed);
  const scenario = config.inMemory === true ? generated : { ...generated, engine: config.engine };
  const written = writeUnfinishedFailure(config.out, seed, scenario, reason);
  const steps = scenario.steps.length;
  const detail = `engine-error: ${reason.split('\n')[0]}`;
  const judged = config.judged === true ? { judged: thrownJudgement({ message: reason.split('\n')[0]!, stack: reason }) } : {};
  return { seed, ok: false, violations: ['engine-error'], steps, wallMs: Math.round(wallMs), failure: { ...written, shrunk: false, steps, shrinkRuns: 0, violations: ['engine-error'], details: [detail] }, ...judged };
}

/** The description is not in the trace, so changing it keeps the run's reproduction exact (and `writeFailure` verifies it). */
function described(run: SeedRun, description: string): SeedRun {
  return { ...run, scenario: normalizeScenario({ ...run.scenario, description }) };
}

function details(run: SeedRun): string[] {
  if (run.outcome === null) return [`engine-error: ${run.error.message}`];
  const out = run.outcome.expectationFailures.filter((f) => f.what !== 'violations').map((f) => `${f.what}: ${f.message}`);
  for (const check of run.outcome.checks) {
    for (const v of check.violations.slice(0, 3)) out.push(`${check.checker}: ${v.message} (seq ${v.seqs.slice(0, 6).join(', ')})`);
  }
  return out;
}
