import { EngineLoadError, resolveEngine } from '../engines/resolve.ts';
import { withVerdict, type ReportCard } from '../conform/card.ts';
import { summaryLine } from '../conform/markdown.ts';
import { runConformance } from '../conform/run-conform.ts';
import type { CampaignProgress } from '../fuzz/campaign.ts';
import { isProfileName, PROFILE_NAMES, type ProfileName } from '../fuzz/profiles.ts';
import { ScenarioError } from '../scenario/index.ts';
import { runServerConform, SERVER_HELP } from './conform-server.ts';
import { integerOption, parseCommandArgs, UsageError, type Command } from './usage.ts';

export const conformCommand: Command = {
  summary: 'the conformance report card of an engine, or the API conformance suite of a server',
  help: [
    'usage: syncsim conform --engine E [--seeds N] [--profiles a,b] [--jobs J] [--out DIR] [--scenarios DIR]',
    '       syncsim conform --server URL --token T --token T2 [--out DIR] (see below)',
    '',
    'The report card of an engine: runs the scenario library with it (each scenario with its',
    'own seed; scenarios written for another engine or expecting violations are left out) and',
    'N seeds of each fuzz profile (failures shrunk to scenario files), then says of every',
    'guarantee (each checker, quiescence, engine-error, the library\'s expect.tasks) whether it',
    'held, was violated (with the file and command that reproduce it) or was not exercised.',
    'Writes <out>/conformance.md, conformance.json and junit.xml; progress on stderr.',
    '',
    'options:',
    '  --engine E      reference | naive | mutant:<name>, or an engine module path (required)',
    '  --seeds N       seeds per profile, 1 … N (default 200; 0 runs the library only)',
    `  --profiles a,b  fuzz profiles (default all: ${PROFILE_NAMES.join(',')})`,
    '  --jobs J        worker threads per campaign (default 2)',
    '  --out DIR       output folder (default reports/conform-<engine name>)',
    '  --scenarios DIR the scenario library (default scenarios)',
    '',
    'exit code: 0 every guarantee held, 1 one was violated or not exercised, 2 bad input or usage',
    '',
    SERVER_HELP,
  ].join('\n'),
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, {
      engine: { type: 'string' },
      seeds: { type: 'string' },
      profiles: { type: 'string' },
      jobs: { type: 'string' },
      out: { type: 'string' },
      scenarios: { type: 'string', default: 'scenarios' },
      server: { type: 'string' },
      token: { type: 'string', multiple: true },
      timeout: { type: 'string' },
      deadline: { type: 'string' },
      rule: { type: 'string', multiple: true },
      'slow-request': { type: 'string' },
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    if (values.server !== undefined) {
      if (values.engine !== undefined) throw new UsageError('give --engine (an engine\'s card) or --server (a server\'s API suite), not both');
      const engineOnly = (['seeds', 'profiles', 'jobs'] as const).find((name) => values[name] !== undefined);
      if (engineOnly !== undefined) throw new UsageError(`--${engineOnly} is an option of conform --engine, not --server`);
      return runServerConform({ server: values.server, token: values.token, out: values.out, timeout: values.timeout, deadline: values.deadline, rule: values.rule, 'slow-request': values['slow-request'] });
    }
    const serverOnly = (['token', 'timeout', 'deadline', 'rule', 'slow-request'] as const).find((name) => values[name] !== undefined);
    if (serverOnly !== undefined) throw new UsageError(`--${serverOnly} is an option of conform --server`);
    if (values.engine === undefined) throw new UsageError('give the engine to judge: --engine E, or a server to test: --server URL --token T --token T2');
    const seeds = integerOption('seeds', values.seeds, 200);
    const jobs = integerOption('jobs', values.jobs, 2);
    if (jobs < 1) throw new UsageError('--jobs must be at least 1');
    const profiles = parseProfiles(values.profiles);
    let engineName: string;
    try {
      engineName = (await resolveEngine(values.engine, process.cwd())).descriptor.name;
    } catch (error) {
      if (!(error instanceof EngineLoadError)) throw error;
      console.error(`syncsim conform: ${error.message}`);
      return 2;
    }
    const out = values.out ?? `reports/conform-${engineName.replace(/[^A-Za-z0-9._-]+/g, '-')}`;
    let result;
    try {
      result = await runConformance({
        engine: values.engine, seeds, profiles: seeds === 0 ? [] : profiles, jobs, out, scenarios: values.scenarios!,
        onPart: (line) => process.stderr.write(`${clearLine()}${line}\n`),
        ...(process.stderr.isTTY && { onProgress: progressLine }),
      });
    } catch (error) {
      if (!(error instanceof ScenarioError || error instanceof EngineLoadError)) throw error;
      console.error(`syncsim conform: ${error.message}`);
      return 2;
    }
    console.log(report(result.card));
    console.log(`wrote ${result.files.markdown}, ${result.files.json} and ${result.files.junit} (${(result.wallMs / 1000).toFixed(1)} s)`);
    return result.card.ok ? 0 : 1;
  },
};

/** `--profiles a,b`: known names, at least one, no repeats. */
export function parseProfiles(text: string | undefined): ProfileName[] {
  if (text === undefined) return [...PROFILE_NAMES];
  const names = text.split(',').map((p) => p.trim());
  const profiles: ProfileName[] = [];
  for (const name of names) {
    if (!isProfileName(name)) throw new UsageError(`unknown profile "${name}" in --profiles; expected some of ${PROFILE_NAMES.join(', ')}`);
    if (!profiles.includes(name)) profiles.push(name);
  }
  return profiles;
}

/** What stdout says: the summary, one line per guarantee, and why the exit code is what it is. */
function report(card: ReportCard): string {
  const lines = [`conformance of ${card.engine}: ${summaryLine(card)}`];
  for (const g of card.guarantees) {
    lines.push(`  ${g.verdict.padEnd(13)} ${g.name}`);
    for (const v of g.violations.slice(0, 3)) lines.push(`      ${v.source} ${v.run}: ${v.message.split('\n')[0]}`, `        reproduce: ${v.reproduce}`);
    if (g.violations.length > 3) lines.push(`      … ${g.violations.length - 3} more in conformance.md`);
  }
  const idle = withVerdict(card, 'not exercised');
  if (idle.length > 0) lines.push(`not exercised: ${idle.join(', ')} — no run judged them, so they are not held (exit 1)`);
  return lines.join('\n');
}

const clearLine = () => (process.stderr.isTTY ? '\r\x1b[K' : '');

function progressLine(part: string, p: CampaignProgress): void {
  process.stderr.write(`\rfuzz ${part}: ${p.done}/${p.total} seeds, ${p.failures} failed, ${p.seedsPerSecond.toFixed(1)} seeds/s   `);
}
