import type { EngineDescriptor } from '../engines/engine.ts';
import type { Scenario } from '../scenario/index.ts';
import { runScenario, type RunOutcome } from '../world/run-scenario.ts';
import { generateScenario } from './generate.ts';
import type { Profile, ProfileName } from './profiles.ts';
import { locateSteps } from './scenario-yaml.ts';

export interface SeedRun {
  seed: number;
  ok: boolean;
  /** What failed: the checkers, plus `quiescence` when the world never settled. Sorted. */
  violations: string[];
  /** The scenario that ran, with `seed` and `engine` in it (its file reproduces the run). */
  scenario: Scenario;
  outcome: RunOutcome;
}

/** One seed of a campaign: generate its scenario under the profile, then run it with the engine. */
export async function runSeed(seed: number, profile: ProfileName | Profile, engine: EngineDescriptor): Promise<SeedRun> {
  const generated = generateScenario(profile, seed);
  const scenario = locateSteps({ ...generated, engine: engine.name });
  return runCandidate(scenario, engine);
}

/** Runs a scenario with its own seed (the fuzz seed) and reports what failed. */
export async function runCandidate(scenario: Scenario, engine: EngineDescriptor): Promise<SeedRun> {
  const seed = scenario.seed ?? 1;
  const outcome = await runScenario(scenario, { seed, engine });
  return { seed, ok: outcome.ok, violations: failureSignature(outcome), scenario, outcome };
}

export function failureSignature(outcome: RunOutcome): string[] {
  const what = [...outcome.violations] as string[];
  if (!outcome.settled) what.push('quiescence');
  for (const failure of outcome.expectationFailures) {
    if (failure.what !== 'violations' && failure.what !== 'quiescence') what.push(failure.what);
  }
  return what.sort();
}
