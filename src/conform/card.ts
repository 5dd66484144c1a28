import type { RunJudgement } from '../fuzz/judgement.ts';
import { guaranteeOf, guarantees, type Guarantee } from './guarantees.ts';

/**
 * The report card of an engine, computed from its runs alone (pure: no files, no clock).
 * A guarantee is violated when a run failed it, held when some run exercised it and none
 * failed it, and not exercised when no run judged anything for it.
 */

/** Where a run came from: `library`, or `fuzz-<profile>`. */
export type RunSource = string;

/** One run of the card: a library scenario or a fuzz seed. */
export interface ConformRun {
  source: RunSource;
  /** The library scenario's name, or `seed <n>`. */
  name: string;
  seed: number;
  ok: boolean;
  /** Failing verdicts and failed expectations (`task t1`). */
  violations: string[];
  judged: RunJudgement;
  /** For a failed run: the file that reproduces it and how. */
  reproduction?: Reproduction;
}

export interface Reproduction {
  /** The shrunk scenario (fuzz) or the library scenario itself. */
  scenarioFile: string;
  /** The command that reproduces the failure. */
  reproduce: string;
  traceFile?: string;
  /** False when rerunning the written file did not give the same run (fuzz verifies it). */
  reproducible: boolean;
  problem?: string;
}

export type Verdict = 'held' | 'violated' | 'not exercised';

/** How much one source's runs exercised a guarantee. */
export interface Evidence {
  source: RunSource;
  /** Runs of the source that exercised it. */
  runs: number;
  /** Runs of the source in all. */
  of: number;
  /** The sum of what they judged, in `unit`s. */
  amount: number;
}

export interface CardViolation {
  source: RunSource;
  run: string;
  seed: number;
  scenarioFile: string;
  reproduce: string;
  /** The first violation message of the (shrunk) run. */
  message: string;
  reproducible: boolean;
}

export interface GuaranteeCard {
  name: string;
  verdict: Verdict;
  unit: string;
  /** Sources whose runs exercised it (none when not exercised). */
  exercisedBy: Evidence[];
  violations: CardViolation[];
}

export interface SourceFigures {
  source: RunSource;
  runs: number;
  failed: number;
}

export interface ReportCard {
  engine: string;
  figures: { runs: number; failed: number; sources: SourceFigures[] };
  /** Library scenarios left out, with why (demonstrations of other engines' defects). */
  excluded: Excluded[];
  guarantees: GuaranteeCard[];
  /** Every guarantee held. */
  ok: boolean;
}

export interface Excluded {
  file: string;
  why: string;
}

export function buildCard(engine: string, runs: readonly ConformRun[], excluded: readonly Excluded[] = []): ReportCard {
  const sources = sourcesOf(runs);
  const known = guarantees();
  // A failing verdict no guarantee names (a checker newer than this table) still shows, as its own row.
  const extra = runs.flatMap((r) => r.violations.map(guaranteeOf)).filter((name) => !known.some((g) => g.name === name));
  const all = [...known, ...[...new Set(extra)].map((name): Guarantee => ({ name, unit: 'runs', amount: () => 0 }))];
  const cards = all.map((g) => guaranteeCard(g, runs, sources));
  return {
    engine,
    figures: { runs: runs.length, failed: runs.filter((r) => !r.ok).length, sources },
    excluded: [...excluded],
    guarantees: cards,
    ok: cards.every((c) => c.verdict === 'held'),
  };
}

function guaranteeCard(guarantee: Guarantee, runs: readonly ConformRun[], sources: readonly SourceFigures[]): GuaranteeCard {
  const violations: CardViolation[] = [];
  const evidence = new Map<RunSource, Evidence>(sources.map((s) => [s.source, { source: s.source, runs: 0, of: s.runs, amount: 0 }]));
  for (const run of runs) {
    const failed = run.violations.filter((v) => guaranteeOf(v) === guarantee.name);
    const amount = guarantee.amount(run.judged);
    if (failed.length > 0 || amount > 0) {
      const e = evidence.get(run.source)!;
      e.runs++;
      e.amount += amount;
    }
    if (failed.length > 0) violations.push(violationOf(run, failed));
  }
  const exercisedBy = [...evidence.values()].filter((e) => e.runs > 0);
  const verdict: Verdict = violations.length > 0 ? 'violated' : exercisedBy.length > 0 ? 'held' : 'not exercised';
  return { name: guarantee.name, verdict, unit: guarantee.unit, exercisedBy, violations };
}

function violationOf(run: ConformRun, failed: readonly string[]): CardViolation {
  const message = failed.map((v) => run.judged.messages[v] ?? `${v} failed`).join('; ');
  const r = run.reproduction;
  return {
    source: run.source,
    run: run.name,
    seed: run.seed,
    scenarioFile: r?.scenarioFile ?? '',
    reproduce: r?.reproduce ?? '',
    message,
    reproducible: r?.reproducible ?? false,
  };
}

/** The sources in the order their first run came. */
function sourcesOf(runs: readonly ConformRun[]): SourceFigures[] {
  const sources = new Map<RunSource, SourceFigures>();
  for (const run of runs) {
    let s = sources.get(run.source);
    if (s === undefined) sources.set(run.source, (s = { source: run.source, runs: 0, failed: 0 }));
    s.runs++;
    if (!run.ok) s.failed++;
  }
  return [...sources.values()];
}

/** The guarantees of a card with a given verdict, by name. */
export function withVerdict(card: ReportCard, verdict: Verdict): string[] {
  return card.guarantees.filter((g) => g.verdict === verdict).map((g) => g.name);
}
