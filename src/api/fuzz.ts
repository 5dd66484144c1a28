import type { RemoteTarget } from '../remote/index.ts';
import { againstServer } from '../world/run-scenario.ts';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCampaign, type CampaignProgress } from '../fuzz/campaign.ts';
import { isProfileName, PROFILE_NAMES, type ProfileName } from '../fuzz/profiles.ts';
import type { CampaignSummary, Shard } from '../fuzz/summary.ts';
import { descriptorObject, type EngineOption } from './engine-option.ts';

export interface FuzzOptions {
  /**
   * Default `reference`. A descriptor object cannot cross to worker threads (they load an
   * engine by name or module path), so it runs in this thread whatever `jobs` says; give its
   * module path to run it on `jobs` workers. `FuzzResult.jobs` says what ran.
   */
  engine?: EngineOption;
  /** Default `swarm`. */
  profile?: ProfileName;
  /** How many seeds (default 100), from `start` (default 1). */
  seeds?: number;
  start?: number;
  /** Worker threads (default 1). */
  jobs?: number;
  /** Shrink failures to minimal scenarios (default true). */
  shrink?: boolean;
  /** Candidate runs per shrink (default 300). */
  maxShrinkRuns?: number;
  /** Where summary.json, junit.xml and failures/<seed>/ go; default a new temporary folder. */
  out?: string;
  shard?: Shard;
  onProgress?: (progress: CampaignProgress) => void;
  /** A real server for the devices instead of the model (SPEC §7 `--server`); seeds then run one at a time, in this thread. */
  server?: RemoteTarget;
}

/** A failing seed and its (shrunk) reproduction. */
export interface FuzzFailure {
  seed: number;
  violations: string[];
  /** The reproduction as YAML text: `runScenario(scenarioYaml, { engine })` fails again. */
  scenarioYaml: string;
  scenarioFile: string;
  traceFile?: string;
  /** The command that reproduces it (for an engine given as an object, the file names no engine: pass it again). */
  reproduce: string;
  reproducible: boolean;
  shrunk: boolean;
  /** The first few violation messages. */
  details: string[];
}

export interface FuzzResult {
  /** Every seed passed. */
  ok: boolean;
  engine: string;
  profile: ProfileName;
  passed: number;
  failures: FuzzFailure[];
  out: string;
  /** The whole campaign, as `<out>/summary.json` has it. */
  summary: CampaignSummary;
  /** The worker threads the campaign ran on (1: this thread, as for an engine given as an object). */
  jobs: number;
}

/** A fuzz campaign (SPEC §7 `fuzz`) as a library call; its failures carry their shrunk YAML. */
export async function fuzz(options: FuzzOptions = {}): Promise<FuzzResult> {
  const profile = options.profile ?? 'swarm';
  if (!isProfileName(profile)) throw new RangeError(`fuzz: unknown profile "${String(profile)}"; expected one of ${PROFILE_NAMES.join(', ')}`);
  const seeds = options.seeds ?? 100;
  const jobs = options.jobs ?? 1;
  if (!Number.isInteger(seeds) || seeds < 1) throw new RangeError('fuzz: seeds must be a positive integer');
  if (!Number.isInteger(jobs) || jobs < 1) throw new RangeError('fuzz: jobs must be a positive integer');
  const option = options.engine ?? 'reference';
  const ran = typeof option === 'string' && options.server === undefined ? jobs : 1;
  const out = options.out ?? mkdtempSync(join(tmpdir(), 'syncsim-fuzz-'));
  const campaign = () => runCampaign({
    seeds,
    start: options.start ?? 1,
    engine: typeof option === 'string' ? option : descriptorObject(option),
    profile,
    jobs: ran,
    shard: options.shard ?? null,
    out,
    shrink: options.shrink ?? true,
    ...(options.maxShrinkRuns !== undefined && { maxShrinkRuns: options.maxShrinkRuns }),
    ...(options.onProgress !== undefined && { onProgress: options.onProgress }),
  });
  const summary = options.server === undefined ? await campaign() : await againstServer(options.server, campaign);
  const failures: FuzzFailure[] = [];
  for (const record of summary.results) {
    const failure = record.failure;
    if (record.ok || failure === undefined) continue;
    failures.push({
      seed: record.seed,
      violations: failure.violations,
      scenarioYaml: readFileSync(failure.scenarioFile, 'utf8'),
      scenarioFile: failure.scenarioFile,
      ...(failure.traceFile !== undefined && { traceFile: failure.traceFile }),
      reproduce: failure.reproduce,
      reproducible: failure.reproducible,
      shrunk: failure.shrunk,
      details: failure.details,
    });
  }
  return { ok: summary.totals.failed === 0, engine: summary.engine, profile, passed: summary.totals.passed, failures, out, summary, jobs: ran };
}
