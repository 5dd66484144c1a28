import { conformServer } from '../api/conform-server.ts';
import { evidenceText, serverSummary } from '../conform/server/report.ts';
import { ServerSuiteError, type ServerSuiteResult } from '../conform/server/suite.ts';
import { terminalWidth } from '../report/terminal.ts';
import { textTable, type TextColumn } from '../report/text-table.ts';
import { integerOption, UsageError } from './usage.ts';

/** The options of `conform --server` (parsed by conform.ts, which has both forms). */
export interface ServerConformValues {
  server: string;
  token: string[] | undefined;
  out: string | undefined;
  timeout: string | undefined;
  deadline: string | undefined;
  rule: string[] | undefined;
  'slow-request': string | undefined;
}

export const SERVER_HELP = [
  'usage: syncsim conform --server URL --token T --token T2 [--out DIR] [--timeout MS] [--deadline S] [--rule NAME ...]',
  '',
  'The API conformance suite of SPEC §4 against a running server: every rule a test over',
  'HTTP (auth, user isolation, idempotency, 409 conflicts, tombstones, pagination under',
  'concurrent writes, the cursor, batches, status, gzip, errors and limits, the design\'s wire',
  'format), each on tasks of its own, so the server may hold data already. The two tokens must',
  'be two different users\'. Writes <out>/conformance.md, conformance.json and junit.xml.',
  '',
  'options:',
  '  --server URL    the server\'s base URL, e.g. http://127.0.0.1:8080',
  '  --token T       a user\'s bearer token; give it twice, for two different users',
  '  --out DIR       output folder (default reports/conform-server)',
  '  --timeout MS    per request (default 10000)',
  '  --deadline S    for the whole suite (default 120)',
  '  --slow-request MS  the server\'s header timeout: judge that headers sent too slowly get',
  '                  a 408 or a closed connection (waits MS + 2 s; not applicable without it)',
  '  --rule NAME     run only this rule (repeatable)',
  '',
  'exit code: 0 every rule held (or was not applicable), 1 a rule was violated, 2 bad usage or the server unreachable',
].join('\n');

export async function runServerConform(values: ServerConformValues): Promise<number> {
  const tokens = values.token ?? [];
  if (tokens.length !== 2) throw new UsageError(`give two users' tokens: --token T --token T2 (got ${tokens.length})`);
  const requestTimeoutMs = integerOption('timeout', values.timeout, 10_000);
  const deadline = integerOption('deadline', values.deadline, 120);
  if (requestTimeoutMs < 1 || deadline < 1) throw new UsageError('--timeout and --deadline must be at least 1');
  const slow = values['slow-request'] === undefined ? undefined : integerOption('slow-request', values['slow-request'], 0);
  if (slow !== undefined && (slow < 1 || slow > 600_000)) throw new UsageError('--slow-request must be from 1 to 600000 ms');
  const out = values.out ?? 'reports/conform-server';
  let result;
  try {
    result = await conformServer({
      url: values.server,
      tokens: [tokens[0]!, tokens[1]!],
      requestTimeoutMs,
      deadlineMs: deadline * 1000,
      out,
      ...(values.rule !== undefined && { only: values.rule }),
      ...(slow !== undefined && { slowRequestMs: slow }),
    });
  } catch (error) {
    if (!(error instanceof ServerSuiteError)) throw error;
    console.error(`syncsim conform: ${error.message}`);
    return 2;
  }
  console.log(report(result));
  const files = result.files!;
  console.log(`wrote ${files.markdown}, ${files.json} and ${files.junit} (${(result.wallMs / 1000).toFixed(1)} s)`);
  return result.ok ? 0 : 1;
}

const COLUMNS: TextColumn[] = [
  { head: 'rule' },
  { head: 'verdict' },
  { head: 'ms', align: 'right', dropRank: 1 },
  { head: 'what came back', wrap: true, min: 20 },
];

/** The summary, the table, and under it the request and reply of each violation. */
function report(result: ServerSuiteResult): string {
  const rows = result.rules.map((r) => [r.name, r.verdict, String(r.ms), r.message ?? '']);
  const lines = [`API conformance of ${result.url}: ${serverSummary(result)}`, '', textTable(COLUMNS, rows, terminalWidth()).text];
  const violated = result.rules.filter((r) => r.verdict === 'violated');
  for (const r of violated) lines.push('', `${r.name}: ${r.message ?? ''}`, ...evidenceText(r.evidence).map((l) => `  ${l}`));
  return lines.join('\n');
}
