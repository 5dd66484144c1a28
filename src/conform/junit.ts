import { junitXml, type JUnitCase } from '../report/junit.ts';
import type { GuaranteeCard, ReportCard } from './card.ts';

/** `junit.xml` of a card: one testcase per guarantee; a failure for a violated one, skipped for one not exercised. */
export function cardJunit(card: ReportCard): string {
  const classname = `syncsim.conform.${card.engine}`;
  const cases = card.guarantees.map((g): JUnitCase => {
    const testcase: JUnitCase = { name: g.name, classname, time: 0 };
    if (g.verdict === 'not exercised') return { ...testcase, skipped: { message: `not exercised: no run had any ${g.unit}` } };
    if (g.verdict === 'held') return testcase;
    return { ...testcase, failure: { message: `${g.name} violated in ${g.violations.length} run${g.violations.length === 1 ? '' : 's'}`, type: g.name, body: failureBody(g) } };
  });
  const properties: Record<string, string> = { engine: card.engine };
  for (const s of card.figures.sources) properties[s.source] = `${s.runs} runs, ${s.failed} failed`;
  return junitXml({ name: `syncsim conform ${card.engine}`, cases, properties });
}

function failureBody(g: GuaranteeCard): string {
  return g.violations
    .map((v) => [`${v.source} ${v.run}: ${v.message}`, `  scenario: ${v.scenarioFile}`, `  reproduce: ${v.reproduce}`, ...(v.reproducible ? [] : ['  NOT REPRODUCIBLE'])].join('\n'))
    .join('\n');
}
