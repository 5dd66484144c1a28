/** Hand-made runs for the card's tests: a judgement is only stats, messages and history counts. */
import type { ConformRun } from '../../src/conform/card.ts';
import type { RunJudgement } from '../../src/fuzz/judgement.ts';

/** What a small clean run judged: something for every guarantee but causal, no-resurrection and expect.tasks. */
export function judged(overrides: Partial<RunJudgement['stats']> = {}, history: Partial<RunJudgement['history']> = {}, messages: RunJudgement['messages'] = {}): RunJudgement {
  // As the checker counts them: a delete is shown (and judged) only where the run reads or snapshots.
  const seen = overrides['nothing-judged'] ?? { reads: 10, snapshots: 3 };
  const shownDeleted = (seen.reads ?? 0) + (seen.snapshots ?? 0) > 0 ? (history.deletes ?? 0) : 0;
  return {
    stats: {
      'no-duplicates': { snapshots: 3, reads: 10, violations: 0 },
      convergence: { devices: 2, violations: 0 },
      lww: { tasks: 4, violations: 0 },
      causal: { tasks: 0, violations: 0 },
      'no-resurrection': { deletedTasks: history.deletes ?? 0, shownDeleted, readFlips: 0, deviceFlips: 0, serverFlips: 0, endState: 0, violations: 0 },
      durability: { writes: 5, violations: 0 },
      'sync-latency': { count: 5, violations: 0 },
      'read-your-writes': { reads: 10, writes: 5, judged: 7, violations: 0 },
      'monotonic-reads': { reads: 10, judged: 20, violations: 0 },
      'nothing-judged': { writes: 5, reads: 10, snapshots: 3, violations: 0 },
      quiescence: { limitMs: 600_000, violations: 0 },
      'engine-error': { violations: 0 },
      ...overrides,
    },
    messages,
    history: { writes: 5, deletes: 0, reads: 10, expectedTasks: 0, ...history },
  };
}

export function run(source: string, name: string, judgement: RunJudgement, violations: string[] = []): ConformRun {
  const seed = Number(/\d+$/.exec(name)?.[0] ?? 1);
  const failed = violations.length > 0;
  return {
    source,
    name,
    seed,
    ok: !failed,
    violations,
    judged: judgement,
    ...(failed && {
      reproduction: {
        scenarioFile: source === 'library' ? `scenarios/${name}.yaml` : `out/${source}/failures/${seed}/scenario.yaml`,
        reproduce: `npx syncsim run ${source === 'library' ? `scenarios/${name}.yaml --seed 1 --engine e` : `out/${source}/failures/${seed}/scenario.yaml`}`,
        reproducible: true,
      },
    }),
  };
}
