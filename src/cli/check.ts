import { readTraceFile } from '../api/trace-bytes.ts';
import { compactForCheckers } from '../check/compact.ts';
import { judgeRun } from '../check/index.ts';
import { checkReport } from '../report/check-table.ts';
import { TraceFormatError, type AnyTraceEvent } from '../trace/index.ts';
import { integerOption, parseCommandArgs, UsageError, type Command } from './usage.ts';

export const checkCommand: Command = {
  summary: 'run the checkers on a trace file',
  help: [
    'usage: syncsim check <trace.jsonl> [--objective MS] [--wide] [--json]',
    '',
    'Judges any trace in the syncsim format (SPEC §5) with every checker of SPEC §6, plus',
    'what run.start says the verdict depends on (expect, objectiveMs) and the verdicts the',
    'trace recorded (quiescence, engine errors): the verdict `syncsim run` gave.',
    '',
    'options:',
    '  --objective MS   the sync-latency objective (default: run.start\'s objectiveMs, else 5000)',
    '  --wide           do not wrap the table to the terminal width',
    '  --json           print the whole verdict as JSON',
    '',
    'exit code: 0 every check passed (or failed exactly as expect.violations says) and every',
    '           expectation held, 1 otherwise, 2 unreadable or malformed trace',
  ].join('\n'),
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, { objective: { type: 'string' }, wide: { type: 'boolean' }, json: { type: 'boolean' } });
    if (positionals.length !== 1) throw new UsageError('give exactly one trace file');
    const file = positionals[0]!;
    let events: AnyTraceEvent[];
    try {
      // Streamed, and only what the checkers read kept: a trace of millions of events fits in little memory.
      events = readTraceFile(file, compactForCheckers());
    } catch (error) {
      if (error instanceof TraceFormatError) {
        console.error(`${file}:${error.line}: ${error.problem}`);
        return 2;
      }
      const code = (error as NodeJS.ErrnoException).code;
      if (typeof code !== 'string') throw error;
      console.error(`${file}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
      return 2;
    }
    const objectiveMs = values.objective === undefined ? undefined : integerOption('objective', values.objective, 5000);
    const verdict = judgeRun(events, { objectiveMs });
    if (values.json) {
      console.log(JSON.stringify(verdict, null, 2));
    } else {
      console.log(`${file}: ${events.length} events, sync-latency objective ${verdict.objectiveMs} ms`);
      console.log(checkReport(verdict, values.wide === true ? { width: Infinity } : {}));
    }
    return verdict.ok ? 0 : 1;
  },
};
