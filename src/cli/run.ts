import { runFiles } from '../files/run-files.ts';
import { RemoteServerError } from '../remote/index.ts';
import { againstServer } from '../world/run-scenario.ts';
import { serverHelp, serverOptions, serverTarget } from './server-target.ts';
import { integerOption, parseCommandArgs, UsageError, type Command } from './usage.ts';

export { runFiles, type RunFilesOptions } from '../files/run-files.ts';

export const runCommand: Command = {
  summary: 'run scenario files and check them',
  help: [
    'usage: syncsim run <scenario.yaml or folder...> [--seed N] [--engine E] [--out DIR] [--server URL --token T [--reset CMD]]',
    '',
    'Runs each scenario (YAML or JSON; a folder: every scenario file in it), checks its trace, writes',
    '<out>/<scenario>-<engine>-<seed>/trace.jsonl and summary.json, and prints a table.',
    '',
    'options:',
    '  --seed N      run seed (default: the scenario\'s seed, else 1)',
    '  --engine E    reference | naive | mutant:<name>, or an engine module path (./my-engine.ts,',
    '                a .js/.mjs/.ts/.mts file or a package folder, relative to this folder);',
    '                default: the scenario\'s engine: (relative to its file), else reference',
    '  --out DIR     output folder (default reports/)',
    '  --wide        every column of the table (one per checker); default: fit the terminal',
    ...serverHelp,
    '',
    'exit code: 0 all checks passed (or failed exactly as expect.violations says),',
    '           1 a check or expectation failed, 2 bad input or usage',
  ].join('\n'),
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, {
      seed: { type: 'string' },
      engine: { type: 'string' },
      out: { type: 'string', default: 'reports' },
      wide: { type: 'boolean', default: false },
      ...serverOptions,
    });
    if (positionals.length === 0) throw new UsageError('give at least one scenario file');
    const seed = values.seed === undefined ? undefined : integerOption('seed', values.seed, 1);
    const server = serverTarget(values);
    const run = () => runFiles(positionals, { seed, engine: values.engine, out: values.out!, wide: values.wide! });
    if (server === undefined) return run();
    try {
      return await againstServer(server, run);
    } catch (error) {
      if (!(error instanceof RemoteServerError)) throw error;
      console.error(`syncsim run: ${error.message}`);
      return 2;
    }
  },
};
