import type { EngineDescriptor } from '../engines/engine.ts';
import type { ProfileName } from './profiles.ts';
import { runSeed } from './run-seed.ts';
import { shrinkFailure } from './shrink.ts';

/** How one mutant fared against the fuzzer. */
export interface MutantVerdict {
  engine: string;
  breaks: string;
  killed: boolean;
  /** Seeds run up to and including the first failing one (or all, if none failed). */
  seedsToKill: number;
  firstSeed: number | null;
  /** The checkers that caught it on the first failing seed. */
  caughtBy: string[];
  /** Steps of the first failing scenario, and after shrinking. */
  steps: number | null;
  shrunkSteps: number | null;
}

/**
 * The harness's power: fuzz each engine from seed `start` until a seed fails where the
 * baseline engine passes (at most `maxSeeds`), then shrink that failure. A seed the baseline
 * fails too proves nothing about the mutant and is skipped. A mutant not killed within the
 * budget is a hole in the generators or the checkers.
 */
export async function measurePower(
  mutants: readonly EngineDescriptor[],
  options: { baseline: EngineDescriptor; profile: ProfileName; start: number; maxSeeds: number; shrinkRuns: number; onVerdict?: (v: MutantVerdict) => void },
): Promise<MutantVerdict[]> {
  const verdicts: MutantVerdict[] = [];
  const baselinePasses = new Map<number, boolean>();
  const baselineOk = async (seed: number) => {
    if (!baselinePasses.has(seed)) baselinePasses.set(seed, (await runSeed(seed, options.profile, options.baseline)).ok);
    return baselinePasses.get(seed)!;
  };
  for (const engine of mutants) {
    const verdict: MutantVerdict = { engine: engine.name, breaks: engine.breaks ?? '', killed: false, seedsToKill: 0, firstSeed: null, caughtBy: [], steps: null, shrunkSteps: null };
    for (let seed = options.start; seed < options.start + options.maxSeeds; seed++) {
      verdict.seedsToKill++;
      const run = await runSeed(seed, options.profile, engine);
      if (run.ok || !(await baselineOk(seed))) continue;
      Object.assign(verdict, { killed: true, firstSeed: seed, caughtBy: run.violations, steps: run.scenario.steps.length });
      if (options.shrinkRuns > 0) verdict.shrunkSteps = (await shrinkFailure(run, { engine, maxRuns: options.shrinkRuns })).steps;
      break;
    }
    options.onVerdict?.(verdict);
    verdicts.push(verdict);
  }
  return verdicts;
}
