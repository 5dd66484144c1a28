import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import Table from 'cli-table3';
import { runCampaign } from '../fuzz/index.ts';
import type { ProfileName } from '../fuzz/profiles.ts';
import { runFiles } from './run.ts';
import { integerOption, parseCommandArgs, type Command } from './usage.ts';

/** The fuzz smoke of the main job: a few seeds of each profile against `reference`. */
const SMOKE_PROFILES: ProfileName[] = ['swarm', 'calm', 'flaky-network', 'chaos', 'crashy', 'skewed'];

export const startCommand: Command = {
  summary: 'the main job: the scenario library, then a short fuzz campaign',
  help: [
    'usage: syncsim start [--scenarios DIR] [--out DIR] [--fuzz-seeds N]',
    '',
    'Runs every scenario of the library (each with its own engine: reference, or naive for',
    'the demonstrations that expect violations) and prints the summary table, then fuzzes',
    '`reference` with N seeds of each profile (default 10) and prints their table. `npm start`.',
  ].join('\n'),
  async run(argv) {
    const { values } = parseCommandArgs(argv, {
      scenarios: { type: 'string', default: 'scenarios' },
      out: { type: 'string', default: 'reports' },
      'fuzz-seeds': { type: 'string' },
    });
    const dir = values.scenarios!;
    const files = readdirSync(dir).filter((f) => /\.(ya?ml|json)$/.test(f)).sort().map((f) => join(dir, f));
    console.log(`The scenario library: ${files.length} scenarios from ${dir}/`);
    const libraryCode = await runFiles(files, { out: values.out! });
    const seeds = integerOption('fuzz-seeds', values['fuzz-seeds'], 10);
    const fuzzCode = seeds > 0 ? await fuzzSmoke(seeds, values.out!) : 0;
    return Math.max(libraryCode, fuzzCode);
  },
};

async function fuzzSmoke(seeds: number, out: string): Promise<number> {
  console.log(`\nFuzz smoke: ${seeds} seeds of each profile against reference`);
  const table = new Table({ head: ['profile', 'seeds', 'passed', 'failed', 'failing seeds', 'seeds/min'], style: { head: [], border: [] } });
  let failed = 0;
  for (const profile of SMOKE_PROFILES) {
    const summary = await runCampaign({ seeds, start: 1, engine: 'reference', profile, jobs: 1, shard: null, out: join(out, 'fuzz-smoke', profile) });
    failed += summary.totals.failed;
    table.push([profile, seeds, summary.totals.passed, summary.totals.failed, summary.failures.join(' ') || '-', Math.round(summary.timing.seedsPerMinute)]);
  }
  console.log(table.toString());
  if (failed > 0) console.log(`shrunk reproductions: ${join(out, 'fuzz-smoke', '<profile>', 'failures')}/<seed>/scenario.yaml`);
  return failed > 0 ? 1 : 0;
}
