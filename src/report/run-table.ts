import Table from 'cli-table3';
import { checkerNames } from '../check/index.ts';
import { clockDuration, shortDuration } from './durations.ts';
import type { RunSummary } from './run-summary.ts';
import { PLAIN_TABLE_STYLE, terminalWidth } from './terminal.ts';
import { textTable, type TextColumn } from './text-table.ts';

export interface RunTableOptions {
  /** Every column, one per checker (the table does not fit 80 columns then). */
  wide?: boolean;
  /** The width to fit; default: the terminal's (see terminalWidth). */
  width?: number;
}

/** The table `syncsim run` prints: by default one that fits the width, with `wide` one column per checker. */
export function runTable(summaries: readonly RunSummary[], options: RunTableOptions = {}): string {
  return options.wide === true ? wideRunTable(summaries) : compactRunTable(summaries, options.width ?? terminalWidth());
}

const COMPACT_COLUMNS: TextColumn[] = [
  { head: 'scenario' },
  { head: 'engine' },
  { head: 'seed', align: 'right' },
  { head: 'verdict', wrap: true, min: 9 },
  // Wide enough for the longest checker with its count, so a name is never cut.
  { head: 'checks', wrap: true, min: 20 },
  { head: 'writes', align: 'right', dropRank: 3 },
  { head: 'msgs', align: 'right', dropRank: 1 },
  { head: 'p99', align: 'right', dropRank: 4 },
  { head: 'virtual', align: 'right', dropRank: 5 },
  { head: 'wall', align: 'right', dropRank: 2 },
];

/** One row per run: the checkers that failed by name (or "all N ok"), and the numbers that matter most. */
function compactRunTable(summaries: readonly RunSummary[], width: number): string {
  const rows = summaries.map((s) => [
    s.scenario,
    s.engine,
    String(s.seed),
    verdictWord(s),
    checksCell(s),
    String(s.writes),
    messagesCell(s),
    shortDuration(s.syncLatencyMs.p99),
    clockDuration(s.virtualMs),
    shortDuration(s.wallMs),
  ]);
  const { text, hidden } = textTable(COMPACT_COLUMNS, rows, width);
  return hidden.length === 0 ? text : `${text}\n(not shown at ${width} columns: ${hidden.join(', ')}; --wide shows every column)`;
}

/** "all 10 ok", or the failing checkers with their violation counts. */
function checksCell(s: RunSummary): string {
  const judged = checkerNames.filter((name) => s.checks[name] !== undefined);
  const failing = judged.filter((name) => s.checks[name] !== 'ok');
  if (failing.length === 0) return `all ${judged.length} ok`;
  return failing.map((name) => `✗${name}(${String(s.checks[name])})`).join(' ');
}

/** Messages sent, with drops and duplicates only when there were any. */
function messagesCell(s: RunSummary): string {
  const { sent, dropped, duplicated } = s.messages;
  return `${sent}${dropped > 0 ? ` -${dropped}` : ''}${duplicated > 0 ? ` +${duplicated}` : ''}`;
}

function verdictWord(s: RunSummary): string {
  if (!s.ok) return 'FAIL';
  return s.expectedViolations.length > 0 ? 'PASS (expected fail)' : 'PASS';
}

const ms = (value: number | null) => (value === null ? '-' : value >= 10_000 ? `${(value / 1000).toFixed(0)}s` : `${value}ms`);

/** Every column: one per checker, messages sent/dropped/duplicated, latency p50/p99/max. */
function wideRunTable(summaries: readonly RunSummary[]): string {
  const short: Record<string, string> = {
    'no-duplicates': 'dup', convergence: 'conv', lww: 'lww', causal: 'causal',
    'no-resurrection': 'resur', durability: 'dur', 'sync-latency': 'lat',
    'read-your-writes': 'ryw', 'monotonic-reads': 'mono', 'nothing-judged': 'judged',
  };
  const table = new Table({
    head: ['scenario', 'engine', 'seed', 'verdict', ...checkerNames.map((n) => short[n] ?? n), 'writes', 'msgs sent/drop/dup', 'latency p50/p99/max', 'virtual', 'wall'],
    style: PLAIN_TABLE_STYLE,
  });
  for (const s of summaries) {
    table.push([
      s.scenario,
      s.engine,
      String(s.seed),
      verdictWord(s),
      ...checkerNames.map((name) => {
        const v = s.checks[name];
        return v === undefined ? '-' : v === 'ok' ? 'ok' : `✗${v}`;
      }),
      String(s.writes),
      `${s.messages.sent}/${s.messages.dropped}/${s.messages.duplicated}`,
      `${ms(s.syncLatencyMs.p50)}/${ms(s.syncLatencyMs.p99)}/${ms(s.syncLatencyMs.max)}`,
      clockDuration(s.virtualMs),
      ms(s.wallMs),
    ]);
  }
  return table.toString();
}
