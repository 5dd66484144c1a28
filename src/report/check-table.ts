import Table from 'cli-table3';
import { QUIESCENCE, type RunVerdict, type Violation } from '../check/index.ts';

interface Row {
  name: string;
  verdict: string;
  first?: Violation;
}

/** The report `syncsim check` prints: one row per verdict (checkers, then quiescence and engine errors), then the run's verdict and why. */
export function checkReport(verdict: RunVerdict): string {
  const table = new Table({ head: ['check', 'verdict', 'first violation'], style: { head: [], border: [] }, wordWrap: true, colWidths: [18, 20, 90] });
  for (const row of rows(verdict)) {
    table.push([row.name, row.verdict, row.first ? `${row.first.message} (seq ${row.first.seqs.slice(0, 8).join(', ')})` : '']);
  }
  const lines = [table.toString(), `verdict: ${verdictWord(verdict)}`];
  for (const failure of verdict.expectationFailures) lines.push(`  - ${failure.what}: ${failure.message}`);
  return lines.join('\n');
}

function rows(verdict: RunVerdict): Row[] {
  const out: Row[] = verdict.checks.map((c) => ({
    name: c.checker,
    // The true count: a checker keeps only the first violations, `stats.violations` counts them all.
    verdict: c.ok ? 'ok' : `FAIL (${c.stats?.violations ?? c.violations.length}${verdict.expectedViolations.includes(c.checker) ? ', expected' : ''})`,
    first: c.violations[0],
  }));
  if (!verdict.recorded.some((r) => r.checker === QUIESCENCE)) {
    out.push({ name: QUIESCENCE, verdict: verdict.finalHeal === false ? '- (no final heal)' : '- (not recorded)' });
  }
  for (const r of verdict.recorded) {
    out.push({ name: r.checker, verdict: r.ok ? 'ok' : `FAIL (${r.stats.violations ?? r.violations.length})`, first: r.violations[0] });
  }
  return out;
}

function verdictWord(verdict: RunVerdict): string {
  if (!verdict.ok) return 'FAIL';
  return verdict.expectedViolations.length > 0 ? 'PASS (expected fail)' : 'PASS';
}
