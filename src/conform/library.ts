import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isModulePath } from '../engines/engine-spec.ts';
import { scenarioFolder, type ResolvedEngine } from '../engines/resolve.ts';
import { judgementOf, thrownJudgement } from '../fuzz/judgement.ts';
import { failureSignature, runError } from '../fuzz/run-seed.ts';
import { loadScenario, type Scenario } from '../scenario/index.ts';
import { runScenario } from '../world/run-scenario.ts';
import type { ConformRun } from './card.ts';

/** The library's scenarios for one engine, and the ones left out with why. */
export interface LibrarySelection {
  scenarios: Scenario[];
  excluded: Array<{ file: string; why: string }>;
}

/**
 * Every scenario file of `dir` (loaded, so a bad file throws its ScenarioError), less the
 * demonstrations of other engines' defects: a scenario whose `engine:` names another engine,
 * or that expects violations, shows a defect rather than a guarantee.
 */
export function selectLibrary(dir: string, engine: ResolvedEngine): LibrarySelection {
  const files = readdirSync(dir).filter((f) => /\.(ya?ml|json)$/.test(f)).sort().map((f) => join(dir, f));
  const selection: LibrarySelection = { scenarios: [], excluded: [] };
  for (const file of files) {
    const scenario = loadScenario(file);
    const why = exclusion(scenario, engine);
    if (why === null) selection.scenarios.push(scenario);
    else selection.excluded.push({ file, why });
  }
  return selection;
}

function exclusion(scenario: Scenario, engine: ResolvedEngine): string | null {
  if (scenario.expect.violations !== undefined && scenario.expect.violations.length > 0) {
    return `expects violations: ${scenario.expect.violations.join(", ")}`;
  }
  if (scenario.engine === undefined) return null;
  const named = isModulePath(scenario.engine) ? resolve(scenarioFolder(scenario.file), scenario.engine) : scenario.engine;
  return named === engine.spec ? null : `written for engine ${scenario.engine}`;
}

export interface LibraryRunOptions {
  engine: ResolvedEngine;
  /** How the reproduce command names the engine (as the user gave it, from the working directory). */
  engineArg: string;
  /** Failures go to `<out>/library/<scenario>/`. */
  out: string;
}

/**
 * Runs each scenario with the engine under test and its own seed. A failure is written as
 * `<out>/library/<scenario>/trace.jsonl` (or `engine-error.txt` when the run threw); the
 * scenario file itself is the reproduction.
 */
export async function runLibrary(scenarios: readonly Scenario[], options: LibraryRunOptions): Promise<ConformRun[]> {
  const runs: ConformRun[] = [];
  for (const scenario of scenarios) runs.push(await runOne(scenario, options));
  return runs;
}

async function runOne(scenario: Scenario, options: LibraryRunOptions): Promise<ConformRun> {
  const seed = scenario.seed ?? 1;
  const base = { source: 'library', name: scenario.name, seed };
  const reproduce = `npx syncsim run ${scenario.file} --seed ${seed} --engine ${options.engineArg}`;
  const dir = join(options.out, 'library', scenario.name);
  try {
    const outcome = await runScenario(scenario, { seed, engine: options.engine.descriptor });
    const run: ConformRun = { ...base, ok: outcome.ok, violations: failureSignature(outcome), judged: judgementOf(outcome, outcome.world.trace.events) };
    if (outcome.ok) return run;
    mkdirSync(dir, { recursive: true });
    const traceFile = join(dir, 'trace.jsonl');
    writeFileSync(traceFile, outcome.world.trace.toJSONL());
    return { ...run, reproduction: { scenarioFile: scenario.file, reproduce, traceFile, reproducible: true } };
  } catch (error) {
    // The world did not turn the engine's throw into a verdict: the run fails as engine-error.
    const thrown = runError(error);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'engine-error.txt'), thrown.stack + '\n');
    return { ...base, ok: false, violations: ['engine-error'], judged: thrownJudgement(thrown), reproduction: { scenarioFile: scenario.file, reproduce, reproducible: true } };
  }
}
