import { QUIESCENCE, type RunVerdict, type Violation } from '../check/index.ts';
import { terminalWidth } from './terminal.ts';
import { textTable, wrapText, type TextColumn } from './text-table.ts';

interface Row {
  name: string;
  verdict: string;
  first?: Violation;
  /** Said in the last column when there is no violation to show (why a verdict was not judged). */
  note?: string;
}

export interface CheckReportOptions {
  /** The width to fit (default: the terminal's); Infinity never wraps. */
  width?: number;
}

const COLUMNS: TextColumn[] = [{ head: 'check' }, { head: 'verdict', wrap: true, min: 9 }, { head: 'first violation', wrap: true, min: 24 }];

/** The report `syncsim check` prints: one row per verdict (checkers, then quiescence and engine errors), then the run's verdict and why. */
export function checkReport(verdict: RunVerdict, options: CheckReportOptions = {}): string {
  const cells = rows(verdict).map((row) => [row.name, row.verdict, row.first ? `${row.first.message} (seq ${row.first.seqs.slice(0, 8).join(', ')})` : row.note ?? '']);
  const width = options.width ?? terminalWidth();
  const lines = [textTable(COLUMNS, cells, width).text, `verdict: ${verdictWord(verdict)}`];
  if (verdict.notJudged.length > 0) {
    lines.push(...wrapText(`${verdict.notJudged.length} verdicts not judged: a server-only trace (serve --trace) has no device history (invoke, ok, read, device snapshots); the verdict covers the server's account only`, Math.max(20, width - 2)));
  }
  for (const failure of verdict.expectationFailures) {
    const wrapped = wrapText(`${failure.what}: ${failure.message}`, Math.max(20, width - 4));
    lines.push(...wrapped.map((line, i) => `${i === 0 ? '  - ' : '    '}${line}`));
  }
  return lines.join('\n');
}

function rows(verdict: RunVerdict): Row[] {
  const out: Row[] = verdict.checks.map((c) => ({
    name: c.checker,
    // The true count: a checker keeps only the first violations, `stats.violations` counts them all.
    verdict: c.ok ? 'ok' : `FAIL (${c.stats?.violations ?? c.violations.length}${verdict.expectedViolations.includes(c.checker) ? ', expected' : ''})`,
    first: c.violations[0],
  }));
  const notJudged = verdict.notJudged;
  if (!verdict.recorded.some((r) => r.checker === QUIESCENCE) && !notJudged.some((n) => n.checker === QUIESCENCE)) {
    out.push({ name: QUIESCENCE, verdict: verdict.finalHeal === false ? '- (no final heal)' : '- (not recorded)' });
  }
  for (const r of verdict.recorded) {
    out.push({ name: r.checker, verdict: r.ok ? 'ok' : `FAIL (${r.stats.violations ?? r.violations.length})`, first: r.violations[0] });
  }
  // Listed, never passed: a server-only trace cannot show these.
  for (const n of notJudged) out.push({ name: n.checker, verdict: 'not judged', note: n.reason });
  return out;
}

function verdictWord(verdict: RunVerdict): string {
  if (!verdict.ok) return 'FAIL';
  return verdict.expectedViolations.length > 0 ? 'PASS (expected fail)' : 'PASS';
}
