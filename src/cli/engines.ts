import { engines } from '../engines/registry.ts';
import { terminalWidth } from '../report/terminal.ts';
import { textTable } from '../report/text-table.ts';
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
    // The name column never wraps: a name must be copyable whole into --engine.
    const columns = [{ head: 'engine' }, { head: 'what it is', wrap: true, min: 20 }, { head: 'breaks', wrap: true, min: 16 }];
    console.log(textTable(columns, engines.map((e) => [e.name, e.summary, e.breaks ?? '']), terminalWidth()).text);
    return 0;
  },
};
