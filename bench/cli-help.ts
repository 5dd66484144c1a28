/**
 * How fast the installed CLI starts: `<bin> --help`, median of 5 wall times, saved as
 * `cli.help_ms` in reports/bench.json. Run by the consumer test on node_modules/.bin/syncsim
 * of a project that installed the packed tarball (target: under 150 ms).
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { benchFile, saveFigures } from './report.ts';

const RUNS = 5;

export function helpStartupMs(bin: string, runs = RUNS): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    const result = spawnSync(bin, ['--help'], { encoding: 'utf8', timeout: 30_000 });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (result.status !== 0) throw new Error(`${bin} --help exited ${result.status}: ${result.stderr}`);
    times.push(ms);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  const bin = process.argv[2];
  if (bin === undefined) throw new Error('usage: tsx bench/cli-help.ts <path to the syncsim bin> [bench.json]');
  const file = process.argv[3] ?? benchFile;
  const ms = Math.round(helpStartupMs(bin) * 10) / 10;
  saveFigures({ 'cli.help_ms': { value: ms, unit: 'ms' } }, file);
  console.log(`cli.help_ms: ${ms} ms (median of ${RUNS}; wrote ${file})`);
}
