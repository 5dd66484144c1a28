import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runFiles } from './run.ts';
import { parseCommandArgs, type Command } from './usage.ts';

export const startCommand: Command = {
  summary: 'the main job: the scenario library, then a short fuzz campaign',
  help: [
    'usage: syncsim start [--scenarios DIR] [--out DIR]',
    '',
    'Runs every scenario of the library (each with its own engine: reference, or naive for',
    'the demonstrations that expect violations) and prints the summary table; `npm start`.',
  ].join('\n'),
  async run(argv) {
    const { values } = parseCommandArgs(argv, {
      scenarios: { type: 'string', default: 'scenarios' },
      out: { type: 'string', default: 'reports' },
    });
    const dir = values.scenarios!;
    const files = readdirSync(dir).filter((f) => /\.(ya?ml|json)$/.test(f)).sort().map((f) => join(dir, f));
    console.log(`The scenario library: ${files.length} scenarios from ${dir}/`);
    return runFiles(files, { out: values.out! });
  },
};
