/** What every checker returns, and how it collects violations. */

export type CheckerName =
  | 'no-duplicates' | 'convergence' | 'lww' | 'causal' | 'no-resurrection' | 'durability' | 'sync-latency'
  | 'read-your-writes' | 'monotonic-reads' | 'nothing-judged';

/** One broken guarantee, with the evidence: the task, the writes and the trace seqs that show it. */
export interface Violation {
  task?: string;
  writes?: string[];
  seqs: number[];
  message: string;
}

export interface CheckResult {
  checker: CheckerName;
  ok: boolean;
  /** At most `maxViolations` of them; `stats.violations` counts them all. */
  violations: Violation[];
  stats?: Record<string, number>;
}

export interface CheckOptions {
  /** sync-latency objective in ms (default 5000; a scenario's `expect.syncLatency.max`). */
  objectiveMs?: number;
  /** Violations kept per checker (default 50); all are counted in `stats.violations`. */
  maxViolations?: number;
}

export const DEFAULT_MAX_VIOLATIONS = 50;

/**
 * Counts every violation but keeps only the first `cap`: a broken engine can produce
 * millions, and nobody reads past the first few. Callers pass a builder so that the
 * violations past the cap cost nothing but the count.
 */
export class Findings {
  readonly kept: Violation[] = [];
  count = 0;

  constructor(private readonly cap: number) {}

  static for(options: CheckOptions | undefined): Findings {
    return new Findings(options?.maxViolations ?? DEFAULT_MAX_VIOLATIONS);
  }

  report(build: () => Violation): void {
    this.count++;
    if (this.kept.length < this.cap) this.kept.push(build());
  }

  verdict(checker: CheckerName, stats: Record<string, number> = {}): CheckResult {
    return { checker, ok: this.count === 0, violations: this.kept, stats: { ...stats, violations: this.count } };
  }
}

/** Sorted, distinct seq numbers; absent ones dropped. */
export function seqList(...seqs: Array<number | null | undefined>): number[] {
  const present = seqs.filter((s): s is number => typeof s === 'number');
  return [...new Set(present)].sort((a, b) => a - b);
}

/** Distinct write ids in first-seen order; absent ones dropped. */
export function writeList(...writes: Array<string | null | undefined>): string[] {
  return [...new Set(writes.filter((w): w is string => typeof w === 'string'))];
}
