import Table from 'cli-table3';
import { checkerNames } from '../check/index.ts';
import type { RunSummary } from './run-summary.ts';

const ms = (value: number | null) => (value === null ? '-' : value >= 10_000 ? `${(value / 1000).toFixed(0)}s` : `${value}ms`);

/** The table `syncsim run` prints: one row per run, one column per checker. */
export function runTable(summaries: readonly RunSummary[]): string {
  const short: Record<string, string> = {
    'no-duplicates': 'dup', convergence: 'conv', lww: 'lww', causal: 'causal',
    'no-resurrection': 'resur', durability: 'dur', 'sync-latency': 'lat',
    'read-your-writes': 'ryw', 'monotonic-reads': 'mono', 'nothing-judged': 'judged',
  };
  const table = new Table({
    head: ['scenario', 'engine', 'seed', 'verdict', ...checkerNames.map((n) => short[n] ?? n), 'writes', 'msgs sent/drop/dup', 'latency p50/p99/max', 'virtual', 'wall'],
    style: { head: [], border: [] },
  });
  for (const s of summaries) {
    const verdict = s.ok ? (s.expectedViolations.length > 0 ? 'PASS (expected fail)' : 'PASS') : 'FAIL';
    table.push([
      s.scenario,
      s.engine,
      String(s.seed),
      verdict,
      ...checkerNames.map((name) => {
        const v = s.checks[name];
        return v === undefined ? '-' : v === 'ok' ? 'ok' : `✗${v}`;
      }),
      String(s.writes),
      `${s.messages.sent}/${s.messages.dropped}/${s.messages.duplicated}`,
      `${ms(s.syncLatencyMs.p50)}/${ms(s.syncLatencyMs.p99)}/${ms(s.syncLatencyMs.max)}`,
      ms(s.virtualMs),
      ms(s.wallMs),
    ]);
  }
  return table.toString();
}
