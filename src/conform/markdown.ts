import type { CardViolation, Evidence, GuaranteeCard, ReportCard, Verdict } from './card.ts';
import { withVerdict } from './card.ts';

/** Failing runs listed per violated guarantee; the rest are in conformance.json. */
const LISTED_PER_GUARANTEE = 50;

const MARK: Record<Verdict, string> = { held: '✅ held', violated: '❌ violated', 'not exercised': '⚪ not exercised' };

/** `conformance.md`: the card as a GitHub PR shows it: a title, a summary, the table, then a section per violated guarantee. */
export function cardMarkdown(card: ReportCard): string {
  const lines = [`# Conformance report card: ${card.engine}`, '', `**${summaryLine(card)}**`, '', runsLine(card)];
  if (card.excluded.length > 0) {
    lines.push('', `Left out of the library: ${card.excluded.map((e) => `\`${e.file}\` (${e.why})`).join(', ')}.`);
  }
  lines.push('', '| guarantee | verdict | evidence (runs that exercised it) | first violation |', '|---|---|---|---|');
  for (const g of card.guarantees) lines.push(`| ${cell(g.name)} | ${MARK[g.verdict]} | ${cell(evidence(g))} | ${firstViolation(g)} |`);
  for (const g of card.guarantees.filter((c) => c.verdict === 'violated')) lines.push('', ...violatedSection(g));
  const idle = card.guarantees.filter((c) => c.verdict === 'not exercised');
  if (idle.length > 0) {
    lines.push('', '## Not exercised', '', 'No run judged anything for these, so the card cannot call them held:', '');
    for (const g of idle) lines.push(`- ${g.name}: no run had any ${g.unit}`);
  }
  return lines.join('\n') + '\n';
}

/** "All 13 guarantees held", or the counts of each verdict. */
export function summaryLine(card: ReportCard): string {
  const total = card.guarantees.length;
  if (card.ok) return `All ${total} guarantees held`;
  const held = withVerdict(card, 'held').length;
  const violated = withVerdict(card, 'violated').length;
  const idle = withVerdict(card, 'not exercised').length;
  return `${held} of ${total} guarantees held, ${violated} violated, ${idle} not exercised`;
}

function runsLine(card: ReportCard): string {
  const parts = card.figures.sources.map((s) => `${s.source} ${s.runs} ${s.source === 'library' ? 'scenarios' : 'seeds'} (${s.failed} failed)`);
  return `Runs: ${parts.join(', ') || 'none'}; ${count(card.figures.runs)} in all, ${count(card.figures.failed)} failed.`;
}

function evidence(g: GuaranteeCard): string {
  if (g.exercisedBy.length === 0) return `none (no run had any ${g.unit})`;
  const amount = g.exercisedBy.reduce((sum, e) => sum + e.amount, 0);
  return `${g.exercisedBy.map(sourceEvidence).join(' · ')} — ${count(amount)} ${g.unit}`;
}

const sourceEvidence = (e: Evidence) => `${e.source} ${e.runs}/${e.of}`;

function firstViolation(g: GuaranteeCard): string {
  const v = g.violations[0];
  if (v === undefined) return '—';
  const more = g.violations.length > 1 ? ` (and ${g.violations.length - 1} more)` : '';
  return `${cell(`${where(v)}: ${v.message}`)}${more}<br>${code(v.reproduce)}`;
}

function violatedSection(g: GuaranteeCard): string[] {
  const lines = [`## ${g.name}: violated in ${g.violations.length} run${g.violations.length === 1 ? '' : 's'}`, ''];
  for (const v of g.violations.slice(0, LISTED_PER_GUARANTEE)) {
    const unreproducible = v.reproducible ? '' : ' **(the written scenario did not reproduce the run)**';
    lines.push(`- ${where(v)}: ${oneLine(v.message)}${unreproducible}`, `  - scenario: \`${v.scenarioFile}\``, `  - reproduce: ${code(v.reproduce)}`);
  }
  const rest = g.violations.length - LISTED_PER_GUARANTEE;
  if (rest > 0) lines.push(`- … and ${rest} more, in conformance.json`);
  return lines;
}

const where = (v: CardViolation) => (v.source === 'library' ? `library ${v.run}` : `${v.source} ${v.run}`);

const oneLine = (text: string) => text.replace(/\s*\n\s*/g, ' ');

/** Table cell text: one line, pipes escaped. */
export function cell(text: string): string {
  return oneLine(text).replace(/\|/g, '\\|');
}

/** Inline code that survives backticks and pipes in a table cell. */
export function code(text: string): string {
  if (text === '') return '';
  return `\`${oneLine(text).replace(/`/g, "'").replace(/\|/g, '\\|')}\``;
}

const count = (n: number) => n.toLocaleString('en-US');
