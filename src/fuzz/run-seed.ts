import type { EngineDescriptor } from '../engines/engine.ts';
import type { Scenario } from '../scenario/index.ts';
import { RemoteServerError } from '../remote/index.ts';
import { runScenario, type RunOutcome } from '../world/run-scenario.ts';
import { generateScenario } from './generate.ts';
import type { Profile, ProfileName } from './profiles.ts';
import { locateSteps } from './scenario-yaml.ts';

/** A seed's run (or a shrink candidate's) that finished with a verdict. */
export interface FinishedRun {
  seed: number;
  ok: boolean;
  /** What failed: the checkers, plus `quiescence` when the world never settled. Sorted. */
  violations: string[];
  /** The scenario that ran, with `seed` and `engine` in it (its file reproduces the run). */
  scenario: Scenario;
  outcome: RunOutcome;
}

/**
 * A run that threw instead of finishing (SPEC §3.1 "Engine errors"): an engine's exception
 * or unhandled rejection that the world did not turn into a verdict itself. It fails as
 * `engine-error`; there is no trace to write, only the error.
 */
export interface ThrownRun {
  seed: number;
  ok: false;
  violations: ['engine-error'];
  scenario: Scenario;
  outcome: null;
  error: RunError;
}

export type SeedRun = FinishedRun | ThrownRun;

export interface RunError {
  /** The first line of the message: what a rerun must throw again to reproduce it. */
  message: string;
  /** The whole error, stack included, for the person reading the failure. */
  stack: string;
}

/**
 * One seed of a campaign: generate its scenario under the profile, then run it with the
 * engine. `engineField` is the scenario's `engine:` (the built-in name, or the module's
 * absolute path), so that the scenario names what ran.
 */
export async function runSeed(seed: number, profile: ProfileName | Profile, engine: EngineDescriptor, engineField: string | null = engine.name): Promise<SeedRun> {
  const generated = generateScenario(profile, seed);
  // null: an engine handed in as an object (the library's fuzz) has no name a scenario file could give.
  const scenario = locateSteps(engineField === null ? generated : { ...generated, engine: engineField });
  return runCandidate(scenario, engine);
}

/** Runs a scenario with its own seed (the fuzz seed) and reports what failed; a run that throws fails as `engine-error`. */
export async function runCandidate(scenario: Scenario, engine: EngineDescriptor): Promise<SeedRun> {
  const seed = scenario.seed ?? 1;
  let outcome: RunOutcome;
  try {
    outcome = await runScenario(scenario, { seed, engine });
  } catch (error) {
    // An unreachable real server voids the campaign: no seed's verdict would mean anything.
    if (error instanceof RemoteServerError) throw error;
    return { seed, ok: false, violations: ['engine-error'], scenario, outcome: null, error: runError(error) };
  }
  return { seed, ok: outcome.ok, violations: failureSignature(outcome), scenario, outcome };
}

export function failureSignature(outcome: RunOutcome): string[] {
  // Every failing verdict (checkers, quiescence, engine-error), then expectations like `task t1`.
  const what = new Set<string>(outcome.verdict.violations);
  for (const failure of outcome.expectationFailures) if (failure.what !== 'violations') what.add(failure.what);
  return [...what].sort();
}

export function runError(error: unknown): RunError {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const stack = error instanceof Error && error.stack !== undefined ? error.stack : text;
  return { message: text.split('\n')[0]!.slice(0, 500), stack };
}
