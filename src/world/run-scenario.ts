import {
  DEFAULT_OBJECTIVE_MS, judgeRun, quiescenceCheck, type CheckerName, type CheckResult, type ExpectationFailure, type RunVerdict,
} from '../check/index.ts';
import type { ClientEngine, EngineDescriptor } from '../engines/engine.ts';
import { RemoteServer, RemoteServerError, resetServer, type RemoteTarget } from '../remote/index.ts';
import type { Scenario } from '../scenario/index.ts';
import { finalHeal, FINAL_PHASE_LIMIT, recordSnapshots, syncUntilSettled } from './settle.ts';
import { StepPlayer } from './step-player.ts';
import { World } from './world.ts';

export interface RunOptions {
  seed: number;
  engine: EngineDescriptor;
  /** A real server for the devices instead of the model; default: the one `againstServer` set, if any. */
  server?: RemoteTarget;
}

/** The real server runs in this thread talk to while `againstServer` is in progress. */
let defaultServer: RemoteTarget | undefined;

/**
 * Runs `work` — a campaign, a batch of runs, a shrink — with every run in it against a real
 * server (`run/fuzz --server`), so that the reproductions and reruns it makes on the way
 * reach the same server. One thread, one server: runs against it are taken one at a time.
 */
export async function againstServer<T>(server: RemoteTarget, work: () => Promise<T>): Promise<T> {
  const previous = defaultServer;
  defaultServer = server;
  try {
    return await work();
  } finally {
    defaultServer = previous;
  }
}

export type { ExpectationFailure } from '../check/index.ts';

export interface RunOutcome {
  scenario: Scenario;
  seed: number;
  engine: string;
  world: World<ClientEngine>;
  checks: CheckResult[];
  /** Checkers that failed. */
  violations: CheckerName[];
  expectationFailures: ExpectationFailure[];
  /** True when every check passed, or failed exactly as `expect.violations` says, and every expectation held. */
  ok: boolean;
  /** Whether the final phase reached quiescence within its limit. */
  settled: boolean;
  /** The whole verdict, as `syncsim check` computes it from the trace. */
  verdict: RunVerdict;
}

/**
 * A whole run of one scenario: build the world, play the steps at their times, then the
 * final heal, sync until settled, snapshots, checkers, expectations and `run.end`.
 */
export async function runScenario(scenario: Scenario, options: RunOptions): Promise<RunOutcome> {
  const target = options.server ?? defaultServer;
  if (target?.reset !== undefined) resetServer(target.reset, target.url);
  const world = new World<ClientEngine>({
    ...(target !== undefined && { remote: new RemoteServer(target) }),
    seed: options.seed,
    scenario: scenario.name,
    engine: options.engine.name,
    devices: scenario.devices,
    network: scenario.network,
    app: options.engine.create,
    context: options.engine.portsOnly === true ? 'event' : 'continuations',
    verdict: {
      // A plain-JSON copy: the trace keeps the keys the scenario gave, nothing shared with it.
      expect: JSON.parse(JSON.stringify(scenario.expect)) as Scenario['expect'],
      objectiveMs: scenario.expect.syncLatency?.max ?? DEFAULT_OBJECTIVE_MS,
      finalHeal: scenario.finalHeal,
    },
  });
  const player = new StepPlayer(world);
  player.schedule(scenario.steps);
  let settled = true;
  let broken = false;
  try {
    await world.run(scenario.duration);
    if (scenario.finalHeal) {
      finalHeal(world);
      settled = await syncUntilSettled(world, scenario.duration + FINAL_PHASE_LIMIT);
    } else {
      await world.runUntilQuiescent(scenario.duration + FINAL_PHASE_LIMIT);
    }
    player.reportUnsettled();
    await recordSnapshots(world);
  } catch (error) {
    // A real server that cannot be reached says nothing about the engine: the run is void.
    if (error instanceof RemoteServerError) throw error;
    // The engine broke the run itself (an unhandled rejection, a forbidden global): what
    // happened up to here is the history; the verdict is engine-error.
    world.history.engineError(null, null, 'run', error);
    broken = true;
  }
  // The verdict is the trace's (judgeRun), so that `syncsim check` on the file gives the same one.
  if (scenario.finalHeal && !broken) world.trace.record('check', quiescenceCheck(world.trace.events, settled, FINAL_PHASE_LIMIT, world.kernel.now));
  const verdict = judgeRun(world.trace.events);
  const { checks, expectationFailures, ok } = verdict;
  for (const check of checks) {
    world.trace.record('check', { checker: check.checker, ok: check.ok, detail: { violations: check.violations, stats: check.stats ?? {} } });
  }
  const violations = checks.filter((c) => !c.ok).map((c) => c.checker);
  world.trace.end(ok, verdict.violations);
  return { scenario, seed: options.seed, engine: options.engine.name, world, checks, violations, expectationFailures, ok, settled, verdict };
}
