import { checkerNames, ENGINE_ERROR, QUIESCENCE, type CheckerName } from '../check/index.ts';
import type { RunJudgement } from '../fuzz/judgement.ts';

/**
 * The guarantees a report card judges (SPEC §6, §7): every checker, the two verdicts a run
 * records (quiescence, engine-error), and the library's own `expect.tasks`. Each says what
 * a run must have judged for it to count as exercised: a pass on nothing is not a pass.
 */
export const SCENARIO_EXPECTATIONS = 'scenario-expectations';

export type GuaranteeName = CheckerName | typeof QUIESCENCE | typeof ENGINE_ERROR | typeof SCENARIO_EXPECTATIONS;

export interface Guarantee {
  name: string;
  /** How much a run judged for this guarantee; the run exercised it when this is above 0. */
  amount(judged: RunJudgement): number;
  /** What `amount` counts, for the evidence column ("writes judged"). */
  unit: string;
}

/** A stat of one verdict, 0 when the run did not report it. */
const stat = (judged: RunJudgement, verdict: string, name: string): number => judged.stats[verdict]?.[name] ?? 0;

const amounts: Record<GuaranteeName, Omit<Guarantee, 'name'>> = {
  'no-duplicates': { unit: 'snapshots and reads judged', amount: (j) => stat(j, 'no-duplicates', 'snapshots') + stat(j, 'no-duplicates', 'reads') },
  convergence: { unit: 'devices compared with the server', amount: (j) => stat(j, 'convergence', 'devices') },
  lww: { unit: 'task end states judged', amount: (j) => stat(j, 'lww', 'tasks') },
  causal: { unit: 'end rows of tasks with several writes judged', amount: (j) => stat(j, 'causal', 'tasks') },
  // The checker counts only what it found; a delete made in a run with reads or snapshots is what it judges.
  'no-resurrection': { unit: 'deletes a node showed (and was then held to)', amount: (j) => stat(j, 'no-resurrection', 'shownDeleted') },
  durability: { unit: 'returned writes judged', amount: (j) => stat(j, 'durability', 'writes') },
  'sync-latency': { unit: 'writes timed', amount: (j) => stat(j, 'sync-latency', 'count') },
  'read-your-writes': { unit: 'reads judged against own writes', amount: (j) => stat(j, 'read-your-writes', 'judged') },
  'monotonic-reads': { unit: 'task rows of reads judged', amount: (j) => stat(j, 'monotonic-reads', 'judged') },
  'nothing-judged': { unit: 'returned writes', amount: (j) => stat(j, 'nothing-judged', 'writes') },
  // Recorded only after a final heal: its presence is the exercise.
  [QUIESCENCE]: { unit: 'final heals', amount: (j) => (j.stats[QUIESCENCE] === undefined ? 0 : 1) },
  // Every run watches every engine call.
  [ENGINE_ERROR]: { unit: 'runs', amount: () => 1 },
  [SCENARIO_EXPECTATIONS]: { unit: 'expected end states (expect.tasks)', amount: (j) => j.history.expectedTasks },
};

/** The guarantees in the order a card lists them: the checkers in registry order, then the recorded verdicts, then expect.tasks. */
export function guarantees(): Guarantee[] {
  const names: GuaranteeName[] = [...checkerNames, QUIESCENCE, ENGINE_ERROR, SCENARIO_EXPECTATIONS];
  return names.map((name) => ({ name, ...amounts[name] }));
}

/**
 * The guarantee a run's failing verdict belongs to: a checker or recorded verdict by its
 * name, a failed `expect.tasks` entry (`task t1`) to scenario-expectations.
 */
export function guaranteeOf(violation: string): string {
  return violation.startsWith('task ') ? SCENARIO_EXPECTATIONS : violation;
}
