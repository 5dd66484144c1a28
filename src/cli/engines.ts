import Table from 'cli-table3';
import { engines } from '../engines/registry.ts';
import type { Command } from './usage.ts';

export const enginesCommand: Command = {
  summary: 'the engines and mutants, with what each mutant breaks',
  help: [
    'usage: syncsim engines',
    '',
    'Lists the client engines a scenario or a fuzz campaign can run: `reference`, `naive`',
    'and the `mutant:<name>` engines, each with the guarantee its defect breaks. Your own',
    'engine is a module path instead of a name (--engine ./my-engine.ts): its default export',
    'is { name, summary?, create(ports) } (SPEC §3.1).',
  ].join('\n'),
  async run() {
    const table = new Table({ head: ['engine', 'what it is', 'breaks'], wordWrap: true, colWidths: [28, 60, 30] });
    for (const engine of engines) table.push([engine.name, engine.summary, engine.breaks ?? '']);
    console.log(table.toString());
    return 0;
  },
};
