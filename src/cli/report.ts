import { MergeError, mergeCampaigns } from '../fuzz/merge.ts';
import { parseCommandArgs, UsageError, type Command } from './usage.ts';

export const reportCommand: Command = {
  summary: 'merge the outputs of fuzz shards',
  help: [
    'usage: syncsim report merge <dir...> [--out DIR]',
    '',
    'Joins the --out folders of `syncsim fuzz --shard i/n` runs (summary.json, junit.xml and',
    'failures/) into one. Fails on shards of different engines or profiles, or on a seed that',
    'two folders both ran.',
    '',
    'options:',
    '  --out DIR     merged output folder (default reports/fuzz)',
    '',
    'exit code: 0 every merged seed passed, 1 a seed failed, 2 bad usage or shards that do not fit',
  ].join('\n'),
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, { out: { type: 'string', default: 'reports/fuzz' } });
    const [action, ...dirs] = positionals;
    if (action !== 'merge') throw new UsageError(action === undefined ? 'give a subcommand: merge' : `unknown subcommand "${action}"; expected merge`);
    if (dirs.length === 0) throw new UsageError('give the shard folders to merge');
    try {
      const summary = mergeCampaigns(dirs, values.out!);
      const { totals } = summary;
      console.log(`merged ${dirs.length} folders: ${totals.seeds} seeds, ${totals.passed} passed, ${totals.failed} failed`);
      for (const r of summary.results) if (!r.ok) console.log(`  seed ${r.seed}: ${r.violations.join(', ')}${r.failure ? ` — reproduce: ${r.failure.reproduce}` : ''}`);
      console.log(`wrote ${values.out}/summary.json and ${values.out}/junit.xml`);
      return totals.failed === 0 ? 0 : 1;
    } catch (error) {
      if (!(error instanceof MergeError)) throw error;
      console.error(`syncsim report merge: ${error.message}`);
      return 2;
    }
  },
};
