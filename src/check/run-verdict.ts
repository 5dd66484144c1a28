import type { AnyTraceEvent, EventOf, RunExpectations, TraceEventFields } from '../trace/index.ts';
import { runCheckers } from './index.ts';
import { judgingScope, serverOnlyChecks, type NotJudged } from './server-only.ts';
import { DEFAULT_OBJECTIVE_MS } from './sync-latency.ts';
import type { CheckerName, CheckResult, Violation } from './verdict.ts';

/**
 * A run's whole verdict, from its trace alone (SPEC §5, §7): the checkers rerun with the
 * objective run.start names, the verdicts the trace recorded because no history can
 * recompute them (quiescence, engine errors), and the scenario's expectations, which
 * run.start carries. `syncsim run` and `syncsim check` both decide with `judgeRun`, so they
 * cannot disagree.
 */

/** One expectation of the scenario that did not hold (beside the checkers). */
export interface ExpectationFailure {
  what: string;
  message: string;
}

/**
 * A verdict beside the checkers: read from the trace, not recomputed (the `quiescence` check
 * event, the `engine-error` events), or, for a server-only trace, one of its own checks
 * (server-only.ts).
 */
export interface RecordedCheck {
  checker: string;
  ok: boolean;
  violations: Violation[];
  stats: Record<string, number>;
}

export interface RunVerdict {
  /** The sync-latency objective the checkers ran with. */
  objectiveMs: number;
  /** run.start's `finalHeal`; null when the trace does not say. */
  finalHeal: boolean | null;
  /** run.start's `expect.violations`: the checkers this run is meant to fail (a demonstration). */
  expectedViolations: string[];
  /** The checkers, rerun on the trace, in registry order. */
  checks: CheckResult[];
  /** `quiescence` when the trace records it; `engine-error` always (ok when none happened). */
  recorded: RecordedCheck[];
  /** Verdicts the trace cannot give (a server-only trace: every one that needs device history), with why. */
  notJudged: NotJudged[];
  /** Every failing verdict's name: the checkers', then the recorded ones'. */
  violations: string[];
  /** Why the run is not ok: violations other than `expect.violations`, failed recorded verdicts, `expect.tasks`. */
  expectationFailures: ExpectationFailure[];
  /** Every check passed, or failed exactly as `expect.violations` says, and every expectation held. */
  ok: boolean;
}

export interface JudgeOptions {
  /** Overrides run.start's objective (`check --objective`). */
  objectiveMs?: number;
  maxViolations?: number;
}

export const QUIESCENCE = 'quiescence';
export const ENGINE_ERROR = 'engine-error';

export function judgeRun(events: readonly AnyTraceEvent[], options: JudgeOptions = {}): RunVerdict {
  const start = events.find((e): e is EventOf<'run.start'> => e.type === 'run.start');
  const expect: RunExpectations = start?.expect ?? {};
  const objectiveMs = options.objectiveMs ?? start?.objectiveMs ?? expect.syncLatency?.max ?? DEFAULT_OBJECTIVE_MS;
  // A run the engine broke (an engine-error of the whole run) has no end state: it is
  // judged by that error alone, not by checkers that would only miss its snapshots.
  const broken = events.some((e) => e.type === ENGINE_ERROR && (e as { call?: unknown }).call === 'run');
  const scope = judgingScope(start);
  const checks = broken ? [] : runCheckers(events, { objectiveMs, maxViolations: options.maxViolations, only: scope.only });
  const recorded = scope.serverOnly ? serverOnlyChecks(events, options.maxViolations) : recordedChecks(events);
  const failingCheckers = checks.filter((c) => !c.ok).map((c) => c.checker);
  const expectationFailures = [
    ...violationsExpectation(expect, failingCheckers),
    ...recorded.filter((r) => !r.ok).map((r) => ({ what: r.checker, message: r.violations[0]?.message ?? `${r.checker} failed` })),
    ...taskExpectations(expect, events),
  ];
  return {
    objectiveMs,
    finalHeal: start?.finalHeal ?? null,
    expectedViolations: [...(expect.violations ?? [])],
    checks,
    recorded,
    notJudged: scope.notJudged,
    violations: [...failingCheckers, ...recorded.filter((r) => !r.ok).map((r) => r.checker)],
    expectationFailures,
    ok: expectationFailures.length === 0,
  };
}

/**
 * The `check` event a run records for its final phase: whether the world settled within
 * `limitMs` of the final heal (the last `heal` fault with `detail.final`), and when.
 */
export function quiescenceCheck(events: readonly AnyTraceEvent[], settled: boolean, limitMs: number, now: number): TraceEventFields['check'] {
  let heal: AnyTraceEvent | undefined;
  for (let i = events.length - 1; i >= 0 && heal === undefined; i--) {
    const e = events[i]!;
    if (e.type === 'fault' && e.kind === 'heal' && (e.detail as { final?: unknown } | undefined)?.final === true) heal = e;
  }
  const stats: Record<string, number> = { limitMs, violations: settled ? 0 : 1 };
  if (heal !== undefined) stats.healedAtMs = heal.t;
  if (settled) stats.settledAtMs = now;
  const violations: Violation[] = settled
    ? []
    : [{ seqs: heal === undefined ? [] : [heal.seq], message: `the world did not settle within ${limitMs / 60_000} min after the final heal` }];
  return { checker: QUIESCENCE, ok: settled, detail: { violations, stats } };
}

/** `expect.violations`: exactly these checkers fail (none when the scenario names none). */
function violationsExpectation(expect: RunExpectations, failing: readonly CheckerName[]): ExpectationFailure[] {
  const expected = [...(expect.violations ?? [])].sort();
  const actual = [...failing].sort();
  if (expected.join(',') === actual.join(',')) return [];
  return [{
    what: 'violations',
    message: `expected ${expected.length ? expected.join(', ') : 'no violation'}, got ${actual.length ? actual.join(', ') : 'none'}`,
  }];
}

/** `expect.tasks`: each named task's end state on every node that has a snapshot. */
function taskExpectations(expect: RunExpectations, events: readonly AnyTraceEvent[]): ExpectationFailure[] {
  const wanted = Object.entries(expect.tasks ?? {});
  if (wanted.length === 0) return [];
  const failures: ExpectationFailure[] = [];
  const snapshots = events.filter((e): e is EventOf<'snapshot'> => e.type === 'snapshot');
  for (const [task, want] of wanted) {
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

/** The recorded verdicts: the last `quiescence` check event, if any; every `engine-error` event, as one failed verdict. */
function recordedChecks(events: readonly AnyTraceEvent[]): RecordedCheck[] {
  let quiescence: RecordedCheck | undefined;
  const engineErrors: Violation[] = [];
  for (const event of events) {
    if (event.type === 'check' && event.checker === QUIESCENCE) quiescence = fromCheckEvent(event as EventOf<'check'>);
    else if (event.type === ENGINE_ERROR) engineErrors.push(engineErrorViolation(event as Record<string, unknown> & { seq: number }));
  }
  const engineError: RecordedCheck = { checker: ENGINE_ERROR, ok: engineErrors.length === 0, violations: engineErrors, stats: { violations: engineErrors.length } };
  return quiescence === undefined ? [engineError] : [quiescence, engineError];
}

/** A check event's verdict; its detail comes from anywhere, so it is read with care. */
function fromCheckEvent(event: EventOf<'check'>): RecordedCheck {
  const detail = isRecord(event.detail) ? event.detail : {};
  const violations = Array.isArray(detail.violations) ? detail.violations.filter(isRecord).map(readViolation) : [];
  const stats: Record<string, number> = {};
  if (isRecord(detail.stats)) for (const [k, v] of Object.entries(detail.stats)) if (typeof v === 'number') stats[k] = v;
  if (!event.ok && violations.length === 0) violations.push({ seqs: [event.seq], message: `${event.checker} failed` });
  stats.violations ??= event.ok ? 0 : violations.length;
  return { checker: event.checker, ok: event.ok, violations, stats };
}

function readViolation(v: Record<string, unknown>): Violation {
  const seqs = Array.isArray(v.seqs) ? v.seqs.filter((s): s is number => typeof s === 'number') : [];
  return { seqs, message: typeof v.message === 'string' ? v.message : JSON.stringify(v) };
}

function engineErrorViolation(e: Record<string, unknown> & { seq: number }): Violation {
  const where = typeof e.step === 'number' ? ` (step at line ${e.step})` : '';
  const error = String(e.error ?? 'error');
  // A run the engine broke names no device or call: an unhandled rejection reaches no caller.
  if (e.call === 'run') return { seqs: [e.seq], message: `the engine broke the run: ${error}` };
  const call = typeof e.call === 'string' ? `${e.call}: ` : '';
  return { seqs: [e.seq], message: `${typeof e.device === 'string' ? `${e.device}: ` : ''}${call}${error}${where}` };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
