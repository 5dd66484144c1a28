import type { Evidence, ReportCard, Verdict } from './card.ts';
import { withVerdict } from './card.ts';

/** `conformance.json`: the card, machine-readable; deterministic for a given engine and options. */
export interface ConformanceJson {
  tool: 'syncsim conform';
  version: 1;
  engine: string;
  /** Every guarantee held (the exit code is 0). */
  ok: boolean;
  figures: ReportCard['figures'] & { excluded: ReportCard['excluded'] };
  held: string[];
  violated: string[];
  notExercised: string[];
  guarantees: Record<string, GuaranteeJson>;
}

export interface GuaranteeJson {
  verdict: Verdict;
  /** What `exercisedBy[].amount` counts. */
  unit: string;
  exercisedBy: Evidence[];
  violations: ViolationJson[];
}

export interface ViolationJson {
  source: string;
  /** The fuzz seed; absent for a library scenario, which `scenario` names. */
  seed?: number;
  scenario?: string;
  scenarioFile: string;
  message: string;
  reproduce: string;
  reproducible: boolean;
}

export function cardJson(card: ReportCard): ConformanceJson {
  const guarantees: Record<string, GuaranteeJson> = {};
  for (const g of card.guarantees) {
    guarantees[g.name] = {
      verdict: g.verdict,
      unit: g.unit,
      exercisedBy: g.exercisedBy,
      violations: g.violations.map((v) => ({
        source: v.source,
        ...(v.source === 'library' ? { scenario: v.run } : { seed: v.seed }),
        scenarioFile: v.scenarioFile,
        message: v.message,
        reproduce: v.reproduce,
        reproducible: v.reproducible,
      })),
    };
  }
  return {
    tool: 'syncsim conform',
    version: 1,
    engine: card.engine,
    ok: card.ok,
    figures: { ...card.figures, excluded: card.excluded },
    held: withVerdict(card, 'held'),
    violated: withVerdict(card, 'violated'),
    notExercised: withVerdict(card, 'not exercised'),
    guarantees,
  };
}
