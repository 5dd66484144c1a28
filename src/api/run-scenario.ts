import type { RemoteTarget } from '../remote/index.ts';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { CheckResult, ExpectationFailure, RunVerdict } from '../check/index.ts';
import { scenarioFolder } from '../engines/resolve.ts';
import { loadScenario, parseScenario, type Scenario } from '../scenario/index.ts';
import type { AnyTraceEvent } from '../trace/index.ts';
import { runScenario as runInWorld } from '../world/run-scenario.ts';
import { engineFrom, type EngineOption } from './engine-option.ts';

export interface RunScenarioOptions {
  /** Default: the scenario's `engine:` (relative to its file), else `reference`. A module path is relative to the working directory. */
  engine?: EngineOption;
  /** Default: the scenario's `seed:`, else 1. */
  seed?: number;
  /** A real server for the devices instead of the model (SPEC §7 `--server`): `{ url, tokens: { demo: 'T' }, reset? }`. */
  server?: RemoteTarget;
}

/** One run of a scenario, judged (SPEC §9). */
export interface ScenarioRun {
  /** Every check passed, or failed exactly as `expect.violations` says, and every expectation held. */
  ok: boolean;
  /** The failing verdicts' names: checkers, then `quiescence` / `engine-error`. */
  violations: string[];
  checks: CheckResult[];
  expectationFailures: ExpectationFailure[];
  /** The whole verdict, as `syncsim check` computes it from the trace. */
  verdict: RunVerdict;
  /** The trace. */
  events: readonly AnyTraceEvent[];
  scenario: Scenario;
  seed: number;
  /** The engine's name. */
  engine: string;
  /** The trace as JSON lines, as `syncsim run` writes it. */
  traceText(): string;
  /** Writes the trace (JSON lines) to `path`, creating its folder. */
  writeTrace(path: string): Promise<void>;
}

/**
 * Runs a scenario and judges it. `scenario` is a file path, YAML text (anything with a line
 * break) or a Scenario object. Rejects with a ScenarioError (located) for a bad file and an
 * EngineLoadError for an engine that cannot be used.
 */
export async function runScenario(scenario: string | Scenario, options: RunScenarioOptions = {}): Promise<ScenarioRun> {
  const loaded = scenarioOf(scenario);
  const engine = options.engine !== undefined
    ? await engineFrom(options.engine, process.cwd())
    : await engineFrom(loaded.engine ?? 'reference', scenarioFolder(loaded.file));
  const seed = options.seed ?? loaded.seed ?? 1;
  const outcome = await runInWorld(loaded, { seed, engine, ...(options.server !== undefined && { server: options.server }) });
  const trace = outcome.world.trace;
  return {
    ok: outcome.ok,
    violations: outcome.verdict.violations,
    checks: outcome.checks,
    expectationFailures: outcome.expectationFailures,
    verdict: outcome.verdict,
    events: trace.events,
    scenario: loaded,
    seed,
    engine: outcome.engine,
    traceText: () => trace.toJSONL(),
    async writeTrace(path) {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, trace.toJSONL());
    },
  };
}

function scenarioOf(scenario: string | Scenario): Scenario {
  if (typeof scenario !== 'string') return scenario;
  return scenario.includes('\n') ? parseScenario(scenario, '<scenario text>') : loadScenario(scenario);
}
