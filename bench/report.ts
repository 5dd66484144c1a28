import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface Figure {
  value: number;
  unit: string;
}

export type Figures = Record<string, Figure>;

export const benchFile = 'reports/bench.json';

/** Merges figures into reports/bench.json, keeping the names other benchmarks wrote. */
export function saveFigures(figures: Figures, file = benchFile): void {
  let existing: Figures = {};
  try {
    existing = JSON.parse(readFileSync(file, 'utf8')) as Figures;
  } catch {
    // first run, or an unreadable file: start afresh
  }
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify({ ...existing, ...figures }, null, 2) + '\n');
}

/** Wall-clock milliseconds of `work` (benchmarks may read the real clock). */
export async function timed(work: () => Promise<void> | void): Promise<number> {
  const start = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Runs `measure` a few times and keeps the best rate: the least disturbed by the machine. */
export async function bestOf(times: number, measure: () => Promise<number>): Promise<number> {
  let best = 0;
  for (let i = 0; i < times; i++) best = Math.max(best, await measure());
  return best;
}
