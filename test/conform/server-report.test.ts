/** The report files of `conform --server` from a hand-made result: the markdown table and sections, the JSON, well-formed junit. */
import { describe, expect, it } from 'vitest';
import { serverJson, serverJunit, serverMarkdown, serverSummary } from '../../src/conform/server/report.ts';
import type { ServerSuiteResult } from '../../src/conform/server/suite.ts';
import { checkXml } from '../fuzz/xml.ts';

const result: ServerSuiteResult = {
  url: 'http://127.0.0.1:8080/',
  runId: 'abcd1234',
  ok: false,
  wallMs: 1234,
  rules: [
    { name: 'auth/missing-token', says: 'without a token it is 401', dialect: 'both', verdict: 'held', ms: 5 },
    {
      name: 'isolation/by-id',
      says: "no request reads another user's task",
      dialect: 'both',
      verdict: 'violated',
      message: "user B reads user A's task t3: expected 404 or 405, got 200 | a pipe",
      evidence: { request: { method: 'GET', path: '/v1/tasks/t3', headers: {}, bodyExcerpt: '' }, status: 200, responseExcerpt: '{"data":{"id":"t3","title":"<secret> & `co`"}}' },
      ms: 7,
    },
    { name: 'limits/quota', says: 'a create past the quota is 403', dialect: 'both', verdict: 'not applicable', message: 'no create met a quota', ms: 0 },
  ],
};

describe('the report of conform --server', () => {
  it('says how many rules held, were violated, were not applicable', () => {
    expect(serverSummary(result)).toBe('1 of 3 rules held, 1 violated, 1 not applicable');
    expect(serverSummary({ ...result, rules: [result.rules[0]!] })).toBe('All 1 rule held');
  });

  it('conformance.md: one row per rule, four cells each, and a section per violation with the request and the reply', () => {
    const md = serverMarkdown(result);
    const lines = md.split('\n');
    expect(lines[0]).toBe('# API conformance: http://127.0.0.1:8080/');
    const header = lines.indexOf('| rule | dialect | verdict | what it checks, or what came back |');
    const rows = lines.slice(header + 2, header + 5);
    expect(rows.map((r) => r.split(' | ')[0]!.slice(2))).toEqual(['auth/missing-token', 'isolation/by-id', 'limits/quota']);
    for (const row of rows) expect(row.split(/(?<!\\)\|/).length).toBe(6);
    expect(rows[2]).toBe('| limits/quota | both | ⚪ not applicable | no create met a quota |');
    expect(md).toContain("## isolation/by-id: violated\n\nno request reads another user's task.\n\n- user B reads user A's task t3: expected 404 or 405, got 200 \\| a pipe\n- request: `GET /v1/tasks/t3`\n- reply: 200 `{\"data\":{\"id\":\"t3\",\"title\":\"<secret> & 'co'\"}}`");
  });

  it('conformance.json: verdict lists and each rule with its evidence', () => {
    const json = serverJson(result);
    expect(json).toMatchObject({ tool: 'syncsim conform --server', version: 1, ok: false, held: ['auth/missing-token'], violated: ['isolation/by-id'], notApplicable: ['limits/quota'] });
    expect(json.figures).toEqual({ rules: 3, held: 1, violated: 1, notApplicable: 1, wallMs: 1234 });
    expect(json.rules['isolation/by-id']).toMatchObject({ verdict: 'violated', evidence: { status: 200, request: { method: 'GET' } } });
  });

  it('junit.xml: a failure for the violated rule, skipped for the one not applicable, escaped', () => {
    const xml = serverJunit(result);
    const { attributes, texts } = checkXml(xml);
    expect(attributes.filter((a) => a.classname === 'syncsim.conform.server').map((a) => a.name)).toEqual(['auth/missing-token', 'isolation/by-id', 'limits/quota']);
    expect(xml).toContain('failures="1"');
    expect(xml).toContain('skipped="1"');
    expect(texts.join('\n')).toContain('reply: 200 {"data":{"id":"t3","title":"<secret> & `co`"}}');
  });
});
