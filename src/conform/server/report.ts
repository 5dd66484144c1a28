import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { junitXml, type JUnitCase } from '../../report/junit.ts';
import { cell, code } from '../markdown.ts';
import type { Evidence } from './rule.ts';
import type { RuleResult, RuleVerdict, ServerSuiteResult } from './suite.ts';

/**
 * The suite's report in the files `conform --engine` writes (conformance.md, .json,
 * junit.xml), one row per rule instead of per guarantee.
 */

const MARK: Record<RuleVerdict, string> = { held: '✅ held', violated: '❌ violated', 'not applicable': '⚪ not applicable' };

export interface ServerConformanceJson {
  tool: 'syncsim conform --server';
  version: 1;
  server: string;
  runId: string;
  /** No rule violated (the exit code is 0). */
  ok: boolean;
  figures: { rules: number; held: number; violated: number; notApplicable: number; wallMs: number };
  held: string[];
  violated: string[];
  notApplicable: string[];
  rules: Record<string, Omit<RuleResult, 'name'>>;
}

const named = (result: ServerSuiteResult, verdict: RuleVerdict) => result.rules.filter((r) => r.verdict === verdict).map((r) => r.name);

export function serverJson(result: ServerSuiteResult): ServerConformanceJson {
  const rules: ServerConformanceJson['rules'] = {};
  for (const { name, ...rest } of result.rules) rules[name] = rest;
  const [held, violated, notApplicable] = [named(result, 'held'), named(result, 'violated'), named(result, 'not applicable')];
  return {
    tool: 'syncsim conform --server',
    version: 1,
    server: result.url,
    runId: result.runId,
    ok: result.ok,
    figures: { rules: result.rules.length, held: held.length, violated: violated.length, notApplicable: notApplicable.length, wallMs: result.wallMs },
    held,
    violated,
    notApplicable,
    rules,
  };
}

/** "All 34 rules held", or the counts of each verdict. */
export function serverSummary(result: ServerSuiteResult): string {
  const total = result.rules.length;
  const violated = named(result, 'violated').length;
  const idle = named(result, 'not applicable').length;
  const held = total - violated - idle;
  if (violated === 0 && idle === 0) return `All ${total} rule${total === 1 ? '' : 's'} held`;
  return `${held} of ${total} rules held, ${violated} violated, ${idle} not applicable`;
}

export function serverMarkdown(result: ServerSuiteResult): string {
  const lines = [
    `# API conformance: ${result.url}`,
    '',
    `**${serverSummary(result)}**`,
    '',
    `The rules of SPEC §4, each a test over HTTP on tasks of its own (run \`${result.runId}\`), in ${(result.wallMs / 1000).toFixed(1)} s.`,
    '',
    '| rule | dialect | verdict | what it checks, or what came back |',
    '|---|---|---|---|',
  ];
  for (const r of result.rules) lines.push(`| ${cell(r.name)} | ${r.dialect} | ${MARK[r.verdict]} | ${cell(r.message ?? r.says)} |`);
  for (const r of result.rules.filter((x) => x.verdict === 'violated')) {
    lines.push('', `## ${r.name}: violated`, '', `${r.says}.`, '', `- ${cell(r.message ?? '')}`, ...evidenceLines(r.evidence));
  }
  return lines.join('\n') + '\n';
}

function evidenceLines(evidence: Evidence | undefined): string[] {
  if (evidence?.request === undefined) return [];
  const { method, path, bodyExcerpt } = evidence.request;
  const lines = [`- request: ${code(`${method} ${path}`)}${bodyExcerpt === '' ? '' : ` body ${code(bodyExcerpt)}`}`];
  if (evidence.status !== undefined) lines.push(`- reply: ${evidence.status}${evidence.responseExcerpt ? ` ${code(evidence.responseExcerpt)}` : ''}`);
  return lines;
}

export function serverJunit(result: ServerSuiteResult): string {
  const classname = 'syncsim.conform.server';
  const cases = result.rules.map((r): JUnitCase => {
    const testcase: JUnitCase = { name: r.name, classname, time: r.ms / 1000 };
    if (r.verdict === 'not applicable') return { ...testcase, skipped: { message: `not applicable: ${r.message ?? ''}` } };
    if (r.verdict === 'held') return testcase;
    return { ...testcase, failure: { message: r.message ?? 'violated', type: r.name, body: [r.says, r.message ?? '', ...evidenceText(r.evidence)].join('\n') } };
  });
  return junitXml({ name: `syncsim conform --server ${result.url}`, cases, properties: { server: result.url, runId: result.runId } });
}

/** The evidence as plain lines, for the junit body and the terminal. */
export function evidenceText(evidence: Evidence | undefined): string[] {
  if (evidence?.request === undefined) return [];
  const { method, path, bodyExcerpt } = evidence.request;
  const lines = [`request: ${method} ${path}${bodyExcerpt === '' ? '' : ` ${bodyExcerpt}`}`];
  if (evidence.status !== undefined) lines.push(`reply: ${evidence.status} ${evidence.responseExcerpt ?? ''}`.trimEnd());
  return lines;
}

export interface ServerReportFiles {
  markdown: string;
  json: string;
  junit: string;
}

export function writeServerReport(out: string, result: ServerSuiteResult): ServerReportFiles {
  mkdirSync(out, { recursive: true });
  const files = { markdown: join(out, 'conformance.md'), json: join(out, 'conformance.json'), junit: join(out, 'junit.xml') };
  writeFileSync(files.markdown, serverMarkdown(result));
  writeFileSync(files.json, JSON.stringify(serverJson(result), null, 2) + '\n');
  writeFileSync(files.junit, serverJunit(result));
  return files;
}
