import type { CheckerName } from '../check/index.ts';
import type { RunOutcome } from '../world/run-scenario.ts';

/** What `summary.json` holds for one run, and one row of the run table. */
export interface RunSummary {
  scenario: string;
  /** The scenario file it came from. */
  file: string;
  engine: string;
  seed: number;
  ok: boolean;
  /** Each checker's verdict: "ok" or the number of violations. */
  checks: Partial<Record<CheckerName, 'ok' | number>>;
  violations: CheckerName[];
  expectedViolations: string[];
  expectationFailures: Array<{ what: string; message: string }>;
  writes: number;
  messages: { sent: number; delivered: number; dropped: number; duplicated: number };
  syncLatencyMs: { p50: number | null; p99: number | null; max: number | null };
  virtualMs: number;
  wallMs: number;
  events: number;
  hash: string;
}

export function summarize(outcome: RunOutcome, wallMs: number): RunSummary {
  const { world } = outcome;
  const checks: RunSummary['checks'] = {};
  for (const check of outcome.checks) checks[check.checker] = check.ok ? 'ok' : check.violations.length;
  const latency = outcome.checks.find((c) => c.checker === 'sync-latency')?.stats ?? {};
  const stat = (name: string) => (typeof latency[name] === 'number' && (latency.count ?? 0) > 0 ? latency[name]! : null);
  const end = world.trace.events[world.trace.events.length - 1] as { hash?: string } | undefined;
  return {
    scenario: outcome.scenario.name,
    file: outcome.scenario.file,
    engine: outcome.engine,
    seed: outcome.seed,
    ok: outcome.ok,
    checks,
    violations: outcome.violations,
    expectedViolations: outcome.scenario.expect.violations ?? [],
    expectationFailures: outcome.expectationFailures,
    // The users' writes that returned, as the harness recorded them (an engine need not record `op`s).
    writes: world.trace.events.filter((e) => e.type === 'ok').length,
    messages: { ...world.network.stats },
    syncLatencyMs: { p50: stat('p50'), p99: stat('p99'), max: stat('max') },
    virtualMs: world.kernel.now,
    wallMs: Math.round(wallMs),
    events: world.trace.length,
    hash: end?.hash ?? '',
  };
}
