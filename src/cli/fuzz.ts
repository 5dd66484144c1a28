import { EngineLoadError } from '../engines/resolve.ts';
import { runCampaign, type CampaignProgress } from '../fuzz/campaign.ts';
import { isProfileName, PROFILE_NAMES } from '../fuzz/profiles.ts';
import type { Shard } from '../fuzz/summary.ts';
import { progressReporter } from '../report/progress.ts';
import { terminalWidth } from '../report/terminal.ts';
import { wrapText } from '../report/text-table.ts';
import { RemoteServerError } from '../remote/index.ts';
import { againstServer } from '../world/run-scenario.ts';
import { serverHelp, serverOptions, serverTarget } from './server-target.ts';
import { integerOption, parseCommandArgs, UsageError, type Command } from './usage.ts';

export const fuzzCommand: Command = {
  summary: 'seeded random workloads and faults; failures shrunk to scenario files',
  help: [
    'usage: syncsim fuzz [--seeds N] [--start S] [--engine E] [--profile P] [--jobs J] [--shard i/n] [--out DIR] [--no-shrink]',
    '                    [--server URL --token T [--reset CMD]]',
    '',
    'Runs seeds S … S+N-1: each seed generates a scenario (devices, a workload with a unique',
    'title per write, the profile\'s faults), runs it and checks it. A failure is shrunk to a',
    'minimal scenario that fails the same checkers, written as <out>/failures/<seed>/scenario.yaml',
    'beside its trace.jsonl, and verified to reproduce byte for byte. Writes <out>/summary.json',
    'and <out>/junit.xml; progress on stderr. A seed whose engine throws fails as engine-error',
    'and the campaign goes on.',
    '',
    'options:',
    '  --seeds N     how many seeds (default 100)',
    '  --start S     first seed (default 1)',
    '  --engine E    reference | naive | mutant:<name>, or an engine module path (./my-engine.ts,',
    '                a .js/.mjs/.ts/.mts file or a package folder); default reference',
    `  --profile P   ${PROFILE_NAMES.join(' | ')} (default swarm)`,
    '  --jobs J      worker threads (default 1)',
    '  --shard i/n   run only shard i of n: seeds with (seed - S) % n == i - 1',
    '  --out DIR     output folder (default reports/fuzz)',
    '  --no-shrink   write failing scenarios as generated',
    ...serverHelp,
    '',
    'exit code: 0 every seed passed, 1 a seed failed, 2 bad usage',
  ].join('\n'),
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, {
      seeds: { type: 'string' },
      start: { type: 'string' },
      engine: { type: 'string', default: 'reference' },
      profile: { type: 'string', default: 'swarm' },
      jobs: { type: 'string' },
      shard: { type: 'string' },
      out: { type: 'string', default: 'reports/fuzz' },
      'no-shrink': { type: 'boolean', default: false },
      ...serverOptions,
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    const seeds = integerOption('seeds', values.seeds, 100);
    const start = integerOption('start', values.start, 1);
    const jobs = integerOption('jobs', values.jobs, 1);
    if (seeds < 1) throw new UsageError('--seeds must be at least 1');
    if (jobs < 1) throw new UsageError('--jobs must be at least 1');
    const engine = values.engine!;
    const profile = values.profile!;
    if (!isProfileName(profile)) throw new UsageError(`unknown profile "${profile}"; expected one of ${PROFILE_NAMES.join(', ')}`);
    const shard = values.shard === undefined ? null : parseShard(values.shard);
    const server = serverTarget(values);
    // One real server, one run at a time: worker threads would interleave runs on its state.
    if (server !== undefined && jobs > 1) throw new UsageError('--server runs one seed at a time: use --jobs 1');
    const out = values.out!;
    // The CLI's real clock paces progress lines in a log; the campaign itself never sees it.
    const progress = progressReporter(process.stderr, () => Date.now());
    let summary;
    try {
      const campaign = () => runCampaign({ seeds, start, engine, profile, jobs, shard, out, shrink: !values['no-shrink'], onProgress: (p) => progress.update(progressText(p)) });
      summary = server === undefined ? await campaign() : await againstServer(server, campaign);
    } catch (error) {
      if (!(error instanceof EngineLoadError) && !(error instanceof RemoteServerError)) throw error;
      progress.end();
      console.error(`syncsim fuzz: ${error.message}`);
      return 2;
    }
    progress.end();
    const { totals, timing } = summary;
    const width = terminalWidth();
    // Prose wraps to the terminal; reproduce commands stay on one line, to be copied whole.
    const say = (text: string, indent = '') => console.log(wrapText(text, Math.max(20, width - indent.length)).map((line, i) => (i === 0 ? indent : `${indent}  `) + line).join('\n'));
    say(`fuzz ${profile} with ${summary.engine}: ${totals.seeds} seeds, ${totals.passed} passed, ${totals.failed} failed (${timing.seedsPerMinute} seeds/min on ${timing.jobs} job${timing.jobs === 1 ? '' : 's'})`);
    for (const r of summary.results) {
      if (r.ok) continue;
      const f = r.failure;
      say(`seed ${r.seed}: ${r.violations.join(', ')}${f ? ` — ${f.steps}/${r.steps} steps${f.reproducible ? '' : ' — NOT REPRODUCIBLE'}` : ''}`, '  ');
      if (f && !f.reproducible) say(f.problem ?? '', '    ');
      if (f) console.log(`    reproduce: ${f.reproduce}`);
    }
    console.log(`wrote ${out}/summary.json and ${out}/junit.xml`);
    return totals.failed === 0 ? 0 : 1;
  },
};

export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (m === null || count < 1 || index < 1 || index > count) throw new UsageError(`--shard must be i/n with 1 <= i <= n, got "${text}"`);
  return { index, count };
}

/** The status on stderr: seeds done/total, failures, throughput. */
function progressText(p: CampaignProgress): string {
  return `${p.done}/${p.total} seeds, ${p.failures} failed, ${p.seedsPerSecond.toFixed(1)} seeds/s`;
}
