import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { EngineDescriptor } from '../src/engines/engine.ts';
import { runSeed } from '../src/fuzz/run-seed.ts';
import type { Figures } from './report.ts';

const SEEDS = 60;
/** Seeds run first and not timed: the figure is a campaign's steady state, not module load and JIT warm-up. */
const WARM_UP_SEEDS = 15;
const ADAPTER = fileURLToPath(new URL('../adapters/watermelondb/', import.meta.url));

/**
 * Seeds per minute on one core of the swarm profile with the WatermelonDB adapter (issue
 * 13): generate, run and check, no shrinking. The adapter is its own package; without its
 * node_modules (`npm ci` in adapters/watermelondb) the figure is skipped, said on stderr.
 */
export async function benchWatermelondb(): Promise<Figures> {
  if (!existsSync(`${ADAPTER}node_modules`)) {
    console.error(`bench watermelondb: skipped, ${ADAPTER}node_modules is missing (run npm ci in adapters/watermelondb)`);
    return {};
  }
  const engine = ((await import(`${ADAPTER}index.ts`)) as { default: EngineDescriptor }).default;
  for (let seed = 10_000; seed < 10_000 + WARM_UP_SEEDS; seed++) await runSeed(seed, 'swarm', engine);
  // CPU time of this process, not wall time: "per core" on a machine that other work shares
  // (a run is one thread; the library's work never leaves it).
  const before = process.cpuUsage();
  for (let seed = 1; seed <= SEEDS; seed++) await runSeed(seed, 'swarm', engine);
  const used = process.cpuUsage(before);
  const ms = (used.user + used.system) / 1000;
  return { 'fuzz.watermelondb.swarm.seeds_per_min_per_core': { value: Math.round((SEEDS / ms) * 60_000), unit: 'seeds/min/core' } };
}
