import { runCheckers, type CheckerName, type CheckResult } from '../check/index.ts';
import type { ClientEngine, EngineDescriptor } from '../engines/engine.ts';
import type { Scenario } from '../scenario/index.ts';
import type { AnyTraceEvent } from '../trace/index.ts';
import { finalHeal, FINAL_PHASE_LIMIT, inSimulation, recordSnapshots, syncUntilSettled } from './settle.ts';
import { StepPlayer } from './step-player.ts';
import { World } from './world.ts';

export interface RunOptions {
  seed: number;
  engine: EngineDescriptor;
}

/** One expectation of the scenario that did not hold (beside the checkers). */
export interface ExpectationFailure {
  what: string;
  message: string;
}

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
}

/**
 * A whole run of one scenario: build the world, play the steps at their times, then the
 * final heal, sync until settled, snapshots, checkers, expectations and `run.end`.
 */
export async function runScenario(scenario: Scenario, options: RunOptions): Promise<RunOutcome> {
  const world = new World<ClientEngine>({
    seed: options.seed,
    scenario: scenario.name,
    engine: options.engine.name,
    devices: scenario.devices,
    network: scenario.network,
    app: options.engine.create,
  });
  const player = new StepPlayer(world);
  player.schedule(scenario.steps);
  let settled = true;
  try {
    await world.run(scenario.duration);
    if (scenario.finalHeal) {
      finalHeal(world);
      settled = await syncUntilSettled(world, scenario.duration + FINAL_PHASE_LIMIT);
    } else {
      await world.runUntilQuiescent(scenario.duration + FINAL_PHASE_LIMIT);
    }
    player.reportUnsettled();
    await inSimulation(world, () => player.readAll('end'));
    await recordSnapshots(world);
  } catch (error) {
    // The engine broke the run itself (an unhandled rejection, a forbidden global): what
    // happened up to here is the history; the verdict is engine-error.
    world.history.engineError(null, null, 'run', error);
  }
  const events = world.trace.events as readonly AnyTraceEvent[];
  const checks = runCheckers(events, { objectiveMs: scenario.expect.syncLatency?.max });
  for (const check of checks) {
    world.trace.record('check', { checker: check.checker, ok: check.ok, detail: { violations: check.violations, stats: check.stats ?? {} } });
  }
  const violations = checks.filter((c) => !c.ok).map((c) => c.checker);
  const expectationFailures = checkExpectations(scenario, events, violations);
  if (!settled) expectationFailures.push({ what: 'quiescence', message: `the world did not settle within ${FINAL_PHASE_LIMIT / 60_000} min after the final heal` });
  const ok = expectationFailures.length === 0;
  world.trace.end(ok, violations);
  return { scenario, seed: options.seed, engine: options.engine.name, world, checks, violations, expectationFailures, ok, settled };
}

/** `expect.violations` (exactly these checkers fail) and `expect.tasks` (the end state on every node). */
function checkExpectations(scenario: Scenario, events: readonly AnyTraceEvent[], violations: CheckerName[]): ExpectationFailure[] {
  const failures: ExpectationFailure[] = [];
  const expected = [...(scenario.expect.violations ?? [])].sort();
  const actual = [...violations].sort();
  if (expected.join(',') !== actual.join(',')) {
    failures.push({
      what: 'violations',
      message: `expected ${expected.length ? expected.join(', ') : 'no violation'}, got ${actual.length ? actual.join(', ') : 'none'}`,
    });
  }
  const snapshots = events.filter((e): e is Extract<AnyTraceEvent, { type: 'snapshot' }> => e.type === 'snapshot');
  for (const [task, want] of Object.entries(scenario.expect.tasks ?? {})) {
    for (const snapshot of snapshots) {
      const live = snapshot.tasks.find((r) => r.task === task && !r.deleted);
      const problems: string[] = [];
      if (want.deleted === true) {
        if (live) problems.push('is live');
      } else if (!live) {
        problems.push('is missing or deleted');
      } else {
        if (want.title !== undefined && live.title !== want.title) problems.push(`has title ${JSON.stringify(live.title)}`);
        if (want.completed !== undefined && live.completed !== want.completed) problems.push(`has completed ${live.completed}`);
      }
      if (problems.length > 0) failures.push({ what: `task ${task}`, message: `on ${snapshot.node}, ${task} ${problems.join(' and ')}` });
    }
  }
  return failures;
}
