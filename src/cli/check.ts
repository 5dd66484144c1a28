import { readFileSync } from 'node:fs';
import Table from 'cli-table3';
import { runCheckers } from '../check/index.ts';
import { parseTrace, TraceFormatError } from '../trace/index.ts';
import { integerOption, parseCommandArgs, UsageError, type Command } from './usage.ts';

export const checkCommand: Command = {
  summary: 'run the checkers on a trace file',
  help: [
    'usage: syncsim check <trace.jsonl> [--objective MS] [--json]',
    '',
    'Judges any trace in the syncsim format (SPEC §5) with every checker of SPEC §6.',
    '',
    'options:',
    '  --objective MS   the sync-latency objective (default 5000)',
    '  --json           print the results as JSON',
    '',
    'exit code: 0 every checker passed, 1 a checker failed, 2 unreadable or malformed trace',
  ].join('\n'),
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, { objective: { type: 'string' }, json: { type: 'boolean' } });
    if (positionals.length !== 1) throw new UsageError('give exactly one trace file');
    const file = positionals[0]!;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      console.error(`${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
      return 2;
    }
    let events;
    try {
      events = parseTrace(text);
    } catch (error) {
      if (!(error instanceof TraceFormatError)) throw error;
      console.error(`${file}:${error.line}: ${error.problem}`);
      return 2;
    }
    const objectiveMs = values.objective === undefined ? undefined : integerOption('objective', values.objective, 5000);
    const results = runCheckers(events, { objectiveMs });
    if (values.json) {
      console.log(JSON.stringify(results, null, 2));
    } else {
      const table = new Table({ head: ['checker', 'verdict', 'first violation'], style: { head: [], border: [] }, wordWrap: true, colWidths: [18, 12, 90] });
      for (const r of results) {
        const first = r.violations[0];
        table.push([r.checker, r.ok ? 'ok' : `FAIL (${r.violations.length})`, first ? `${first.message} (seq ${first.seqs.slice(0, 8).join(', ')})` : '']);
      }
      console.log(`${file}: ${events.length} events`);
      console.log(table.toString());
    }
    return results.every((r) => r.ok) ? 0 : 1;
  },
};
