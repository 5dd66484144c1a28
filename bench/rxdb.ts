import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runSeed } from '../src/fuzz/run-seed.ts';
import type { EngineDescriptor } from '../src/engines/engine.ts';
import { timed, type Figures } from './report.ts';

const ADAPTER = join(import.meta.dirname, '..', 'adapters', 'rxdb');
const SEEDS = 60;
/** Seeds run first and not timed: module loading and JIT warm-up are not what a campaign runs at. */
const WARM_UP_SEEDS = 10;

/**
 * Seeds per minute on one core of the swarm profile with the RxDB adapter (generate, run and
 * check; no shrinking). Needs the adapter installed (`npm ci` in adapters/rxdb).
 */
export async function benchRxdb(): Promise<Figures> {
  if (!existsSync(join(ADAPTER, 'node_modules'))) {
    console.warn('bench rxdb: skipped, adapters/rxdb/node_modules is missing (run npm ci in adapters/rxdb)');
    return {};
  }
  const engine = ((await import(join(ADAPTER, 'index.ts'))) as { default: EngineDescriptor }).default;
  for (let seed = 10_000; seed < 10_000 + WARM_UP_SEEDS; seed++) await runSeed(seed, 'swarm', engine, 'adapters/rxdb');
  const ms = await timed(async () => {
    for (let seed = 1; seed <= SEEDS; seed++) await runSeed(seed, 'swarm', engine, 'adapters/rxdb');
  });
  return { 'fuzz.rxdb.swarm.seeds_per_min_per_core': { value: Math.round((SEEDS / ms) * 60_000), unit: 'seeds/min/core' } };
}
