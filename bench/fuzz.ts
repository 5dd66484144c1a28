import { referenceEngine } from '../src/engines/reference/index.ts';
import { PROFILE_NAMES } from '../src/fuzz/profiles.ts';
import { runSeed } from '../src/fuzz/run-seed.ts';
import { timed, type Figures } from './report.ts';

const SEEDS = 120;
/** Seeds run first and not timed, so the figure is the steady state a campaign runs at, not JIT warm-up. */
const WARM_UP_SEEDS = 30;

/** Seeds per minute on one core for each profile: generate, run and check (no shrinking). */
export async function benchFuzz(): Promise<Figures> {
  const figures: Figures = {};
  for (const profile of PROFILE_NAMES) {
    for (let seed = 10_000; seed < 10_000 + WARM_UP_SEEDS; seed++) await runSeed(seed, profile, referenceEngine);
    const ms = await timed(async () => {
      for (let seed = 1; seed <= SEEDS; seed++) await runSeed(seed, profile, referenceEngine);
    });
    figures[`fuzz.${profile}.seeds_per_min_per_core`] = { value: Math.round((SEEDS / ms) * 60_000), unit: 'seeds/min/core' };
  }
  return figures;
}
