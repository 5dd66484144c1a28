import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findEngine } from '../engines/registry.ts';
import { loadScenario } from '../scenario/index.ts';
import { runScenario } from '../world/run-scenario.ts';
import type { SeedRun } from './run-seed.ts';
import { scenarioToYaml } from './scenario-yaml.ts';

export interface WrittenFailure {
  /** `<out>/failures/<seed>/scenario.yaml` */
  scenarioFile: string;
  traceFile: string;
  /** The command that reproduces the run. */
  reproduce: string;
  /** The trace's hash (`run.end.hash`). */
  hash: string;
  /** True when running the written file gave the same trace byte for byte. */
  reproducible: boolean;
  /** When not reproducible: what differed. */
  problem?: string;
}

/**
 * Writes a failing run as `<out>/failures/<seed>/scenario.yaml` (with `seed:` and
 * `engine:`) and `trace.jsonl`, then loads the file back, runs it and compares the traces.
 */
export async function writeFailure(out: string, run: SeedRun): Promise<WrittenFailure> {
  const dir = join(out, 'failures', String(run.seed));
  mkdirSync(dir, { recursive: true });
  const scenarioFile = join(dir, 'scenario.yaml');
  const traceFile = join(dir, 'trace.jsonl');
  const trace = run.outcome.world.trace.toJSONL();
  writeFileSync(scenarioFile, scenarioToYaml(run.scenario));
  writeFileSync(traceFile, trace);
  const hash = run.outcome.world.trace.digest();
  const written = { scenarioFile, traceFile, reproduce: `npx syncsim run ${scenarioFile}`, hash };
  const problem = await verifyReproduction(scenarioFile, trace);
  return problem === undefined ? { ...written, reproducible: true } : { ...written, reproducible: false, problem };
}

/** Runs a written scenario file as `syncsim run` would; undefined when its trace equals `expected`. */
export async function verifyReproduction(scenarioFile: string, expected: string): Promise<string | undefined> {
  const scenario = loadScenario(scenarioFile);
  const engine = findEngine(scenario.engine ?? 'reference');
  if (engine === undefined) return `unknown engine ${scenario.engine}`;
  const outcome = await runScenario(scenario, { seed: scenario.seed ?? 1, engine });
  const actual = outcome.world.trace.toJSONL();
  if (actual === expected) return undefined;
  const a = actual.split('\n');
  const e = expected.split('\n');
  const line = a.findIndex((l, i) => l !== e[i]);
  return `rerunning ${scenarioFile} gave a different trace from line ${line + 1}: ${JSON.stringify(a[line]?.slice(0, 200))} instead of ${JSON.stringify(e[line]?.slice(0, 200))}`;
}
