import type { RunVerdict } from '../check/index.ts';
import type { AnyTraceEvent, EventOf } from '../trace/index.ts';
import type { RunOutcome } from '../world/run-scenario.ts';
import type { RunError, SeedRun } from './run-seed.ts';

/**
 * What one run judged, as plain data that crosses to worker threads: enough for a report
 * card (`syncsim conform`) to tell a guarantee that held from one no run exercised.
 */
export interface RunJudgement {
  /** Per verdict (each checker, `quiescence` when recorded, `engine-error`): the stats it reported. */
  stats: Record<string, Record<string, number>>;
  /** Per failing verdict, and per failed expectation (`task t1`): its first violation message. */
  messages: Record<string, string>;
  /** Counts of the users' history and of the scenario's `expect.tasks`. */
  history: { writes: number; deletes: number; reads: number; expectedTasks: number };
}

/** A finished run's judgement. */
export function judgementOf(outcome: Pick<RunOutcome, 'verdict'>, events: readonly AnyTraceEvent[]): RunJudgement {
  return { stats: statsOf(outcome.verdict), messages: messagesOf(outcome.verdict), history: historyOf(events) };
}

/** A run that threw: it judged nothing but the engine, which failed. */
export function thrownJudgement(error: RunError): RunJudgement {
  return { stats: { 'engine-error': { violations: 1 } }, messages: { 'engine-error': error.message }, history: { writes: 0, deletes: 0, reads: 0, expectedTasks: 0 } };
}

/** A seed's judgement: what its run judged, with the messages of the run that was written (the shrunk one, when shrunk). */
export function seedJudgement(run: SeedRun, written: SeedRun = run): RunJudgement {
  const judged = run.outcome === null ? thrownJudgement(run.error) : judgementOf(run.outcome, run.outcome.world.trace.events);
  if (written === run) return judged;
  const messages = written.outcome === null ? thrownJudgement(written.error).messages : messagesOf(written.outcome.verdict);
  return { ...judged, messages };
}

function statsOf(verdict: RunVerdict): RunJudgement['stats'] {
  const stats: RunJudgement['stats'] = {};
  for (const check of verdict.checks) stats[check.checker] = { ...(check.stats ?? {}) };
  for (const recorded of verdict.recorded) stats[recorded.checker] = { ...recorded.stats };
  return stats;
}

function messagesOf(verdict: RunVerdict): RunJudgement['messages'] {
  const messages: RunJudgement['messages'] = {};
  for (const check of verdict.checks) if (!check.ok) messages[check.checker] = check.violations[0]?.message ?? `${check.checker} failed`;
  for (const recorded of verdict.recorded) if (!recorded.ok) messages[recorded.checker] = recorded.violations[0]?.message ?? `${recorded.checker} failed`;
  // `violations` restates the checkers above; the others (`task t1`) are the scenario's own expectations.
  for (const failure of verdict.expectationFailures) if (failure.what !== 'violations') messages[failure.what] ??= failure.message;
  return messages;
}

function historyOf(events: readonly AnyTraceEvent[]): RunJudgement['history'] {
  const history = { writes: 0, deletes: 0, reads: 0, expectedTasks: 0 };
  for (const event of events) {
    if (event.type === 'invoke') {
      history.writes++;
      if ((event as EventOf<'invoke'>).kind === 'delete') history.deletes++;
    } else if (event.type === 'read') history.reads++;
    else if (event.type === 'run.start') history.expectedTasks = Object.keys((event as EventOf<'run.start'>).expect?.tasks ?? {}).length;
  }
  return history;
}
