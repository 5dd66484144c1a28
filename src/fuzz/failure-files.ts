import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EngineDescriptor } from '../engines/engine.ts';
import { engineSpecFrom } from '../engines/engine-spec.ts';
import { EngineLoadError, resolveEngine, scenarioFolder } from '../engines/resolve.ts';
import { loadScenario, type Scenario } from '../scenario/index.ts';
import { runScenario } from '../world/run-scenario.ts';
import { runError, type SeedRun } from './run-seed.ts';
import { scenarioToYaml } from './scenario-yaml.ts';

export interface WrittenFailure {
  /** `<out>/failures/<seed>/scenario.yaml` */
  scenarioFile: string;
  /** The run's trace; absent when the run threw before it had one (engine-error). */
  traceFile?: string;
  /** For a run that threw: `engine-error.txt`, the error with its stack. */
  errorFile?: string;
  /** The command that reproduces the run. */
  reproduce: string;
  /** The trace's hash (`run.end.hash`); absent without a trace. */
  hash?: string;
  /** True when running the written file gave the same trace byte for byte (or threw the same error). */
  reproducible: boolean;
  /** When not reproducible: what differed. */
  problem?: string;
}

/** What a rerun of the written file must give again: the trace, or the error the run threw. */
export type ExpectedRun = { trace: string } | { error: string };

/**
 * Writes a failing run as `<out>/failures/<seed>/scenario.yaml` (with `seed:` and
 * `engine:`) and `trace.jsonl` (or `engine-error.txt` for a run that threw), then loads the
 * file back, runs it and compares.
 */
export async function writeFailure(out: string, run: SeedRun, given?: EngineDescriptor): Promise<WrittenFailure> {
  const dir = join(out, 'failures', String(run.seed));
  const scenarioFile = writeScenario(dir, run.scenario);
  const reproduce = `npx syncsim run ${scenarioFile}`;
  let written: Omit<WrittenFailure, 'reproducible' | 'problem'>;
  let expected: ExpectedRun;
  if (run.outcome === null) {
    const errorFile = join(dir, 'engine-error.txt');
    writeFileSync(errorFile, run.error.stack + '\n');
    written = { scenarioFile, errorFile, reproduce };
    expected = { error: run.error.message };
  } else {
    const traceFile = join(dir, 'trace.jsonl');
    const trace = run.outcome.world.trace.toJSONL();
    writeFileSync(traceFile, trace);
    written = { scenarioFile, traceFile, reproduce, hash: run.outcome.world.trace.digest() };
    expected = { trace };
  }
  const problem = await verifyReproduction(scenarioFile, expected, given);
  return problem === undefined ? { ...written, reproducible: true } : { ...written, reproducible: false, problem };
}

/**
 * For a seed whose job could not finish (its worker thread died): the generated scenario
 * as it is, not shrunk and not verified, so that the seed can still be studied.
 */
export function writeUnfinishedFailure(out: string, seed: number, scenario: Scenario, reason: string): WrittenFailure {
  const dir = join(out, 'failures', String(seed));
  const scenarioFile = writeScenario(dir, scenario);
  const errorFile = join(dir, 'engine-error.txt');
  writeFileSync(errorFile, reason + '\n');
  return { scenarioFile, errorFile, reproduce: `npx syncsim run ${scenarioFile}`, reproducible: false, problem: `not verified: ${reason.split('\n')[0]}` };
}

/** The scenario file, its module engine (an absolute path in memory) written relative to the file's folder. */
function writeScenario(dir: string, scenario: Scenario): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'scenario.yaml');
  const engine = scenario.engine === undefined ? undefined : engineSpecFrom(dir, scenario.engine);
  writeFileSync(file, scenarioToYaml({ ...scenario, ...(engine !== undefined && { engine }) }));
  return file;
}

/** Runs a written scenario file as `syncsim run` would; undefined when it gives `expected` again. */
export async function verifyReproduction(scenarioFile: string, expected: ExpectedRun | string, given?: EngineDescriptor): Promise<string | undefined> {
  const want = typeof expected === 'string' ? { trace: expected } : expected;
  const scenario = loadScenario(scenarioFile);
  let engine;
  try {
    // `given`: an engine handed in as an object, which the file cannot name.
    engine = given ?? (await resolveEngine(scenario.engine ?? 'reference', scenarioFolder(scenarioFile))).descriptor;
  } catch (error) {
    if (error instanceof EngineLoadError) return error.message;
    throw error;
  }
  let actual: string;
  try {
    actual = (await runScenario(scenario, { seed: scenario.seed ?? 1, engine })).world.trace.toJSONL();
  } catch (error) {
    const thrown = runError(error).message;
    if ('error' in want && thrown === want.error) return undefined;
    return `rerunning ${scenarioFile} threw ${JSON.stringify(thrown)}${'error' in want ? ` instead of ${JSON.stringify(want.error)}` : ''}`;
  }
  if ('error' in want) return `rerunning ${scenarioFile} finished instead of throwing ${JSON.stringify(want.error)}`;
  if (actual === want.trace) return undefined;
  const a = actual.split('\n');
  const e = want.trace.split('\n');
  const line = a.findIndex((l, i) => l !== e[i]);
  return `rerunning ${scenarioFile} gave a different trace from line ${line + 1}: ${JSON.stringify(a[line]?.slice(0, 200))} instead of ${JSON.stringify(e[line]?.slice(0, 200))}`;
}
