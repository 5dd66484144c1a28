/** The card's three files from a hand-made card: the markdown table, the JSON shape, well-formed junit. */
import { describe, expect, it } from 'vitest';
import { buildCard } from '../../src/conform/card.ts';
import { cardJson } from '../../src/conform/json.ts';
import { cardJunit } from '../../src/conform/junit.ts';
import { cardMarkdown } from '../../src/conform/markdown.ts';
import { checkXml } from '../fuzz/xml.ts';
import { judged, run } from './runs.ts';

const card = buildCard('mutant:x', [
  run('library', 'clock-skew', judged({}, { deletes: 1, expectedTasks: 1 }, { 'read-your-writes': 'a read misses task t | with a pipe' }), ['read-your-writes']),
  run('fuzz-calm', 'seed 4', judged({}, {}, { 'read-your-writes': 'a read shows "w2" <older>' }), ['read-your-writes']),
  run('fuzz-calm', 'seed 5', judged()),
], [{ file: 'scenarios/naive-x.yaml', why: 'expects violations: lww' }]);

describe('conformance.md', () => {
  const md = cardMarkdown(card);
  const lines = md.split('\n');

  it('has a title with the engine and the summary', () => {
    expect(lines[0]).toBe('# Conformance report card: mutant:x');
    expect(md).toContain('**11 of 13 guarantees held, 1 violated, 1 not exercised**');
    expect(md).toContain('Runs: library 1 scenarios (1 failed), fuzz-calm 2 seeds (1 failed); 3 in all, 2 failed.');
    expect(md).toContain('`scenarios/naive-x.yaml` (expects violations: lww)');
  });

  it('renders one table row per guarantee, with four cells each', () => {
    const header = lines.indexOf('| guarantee | verdict | evidence (runs that exercised it) | first violation |');
    expect(header).toBeGreaterThan(0);
    expect(lines[header + 1]).toBe('|---|---|---|---|');
    const rows = lines.slice(header + 2, header + 2 + card.guarantees.length);
    expect(rows.map((r) => r.split(' | ')[0]!.slice(2))).toEqual(card.guarantees.map((g) => g.name));
    // Four cells: an escaped pipe in a message does not split one.
    for (const row of rows) expect(row.split(/(?<!\\)\|/).length).toBe(6);
    expect(lines[header + 2 + card.guarantees.length]).toBe('');
    expect(rows.find((r) => r.startsWith('| lww |'))).toBe('| lww | ✅ held | library 1/1 · fuzz-calm 2/2 — 12 task end states judged | — |');
    expect(rows.find((r) => r.startsWith('| causal |'))).toBe('| causal | ⚪ not exercised | none (no run had any end rows of tasks with several writes judged) | — |');
    expect(rows.find((r) => r.startsWith('| read-your-writes |'))).toBe(
      '| read-your-writes | ❌ violated | library 1/1 · fuzz-calm 2/2 — 21 reads judged against own writes | library clock-skew: a read misses task t \\| with a pipe (and 1 more)<br>`npx syncsim run scenarios/clock-skew.yaml --seed 1 --engine e` |',
    );
  });

  it('lists each failing run of a violated guarantee with its reproduction, and the guarantees not exercised', () => {
    const section = md.slice(md.indexOf('## read-your-writes: violated in 2 runs'));
    expect(section).toContain('- fuzz-calm seed 4: a read shows "w2" <older>\n  - scenario: `out/fuzz-calm/failures/4/scenario.yaml`\n  - reproduce: `npx syncsim run out/fuzz-calm/failures/4/scenario.yaml`');
    expect(section).toContain('- library clock-skew:');
    expect(md).toContain('## Not exercised\n\nNo run judged anything for these, so the card cannot call them held:\n\n- causal: no run had any end rows of tasks with several writes judged');
  });
});

describe('conformance.json', () => {
  it('gives per guarantee its verdict, evidence and violations (seed for fuzz, scenario for the library)', () => {
    const json = cardJson(card);
    expect(json).toMatchObject({ tool: 'syncsim conform', version: 1, engine: 'mutant:x', ok: false, violated: ['read-your-writes'], notExercised: ['causal'] });
    expect(json.held).toHaveLength(11);
    expect(Object.keys(json.guarantees)).toEqual(card.guarantees.map((g) => g.name));
    expect(json.guarantees['read-your-writes']!.violations).toEqual([
      { source: 'library', scenario: 'clock-skew', scenarioFile: 'scenarios/clock-skew.yaml', message: 'a read misses task t | with a pipe', reproduce: 'npx syncsim run scenarios/clock-skew.yaml --seed 1 --engine e', reproducible: true },
      { source: 'fuzz-calm', seed: 4, scenarioFile: 'out/fuzz-calm/failures/4/scenario.yaml', message: 'a read shows "w2" <older>', reproduce: 'npx syncsim run out/fuzz-calm/failures/4/scenario.yaml', reproducible: true },
    ]);
    expect(json.guarantees.lww).toMatchObject({ verdict: 'held', exercisedBy: [{ source: 'library', runs: 1, of: 1, amount: 4 }, { source: 'fuzz-calm', runs: 2, of: 2, amount: 8 }] });
  });
});

describe('junit.xml', () => {
  it('is well-formed, one testcase per guarantee, a failure for the violated and skipped for the not exercised', () => {
    const xml = cardJunit(card);
    const { texts, attributes } = checkXml(xml);
    expect(attributes.filter((a) => a.classname === 'syncsim.conform.mutant:x').map((a) => a.name)).toEqual(card.guarantees.map((g) => g.name));
    expect(xml).toContain('tests="13" failures="1" errors="0" skipped="1"');
    expect(attributes.find((a) => a.type === 'read-your-writes')).toMatchObject({ message: 'read-your-writes violated in 2 runs' });
    expect(attributes.some((a) => a.message === 'not exercised: no run had any end rows of tasks with several writes judged')).toBe(true);
    expect(texts.join('\n')).toContain('fuzz-calm seed 4: a read shows "w2" <older>\n  scenario: out/fuzz-calm/failures/4/scenario.yaml\n  reproduce: npx syncsim run out/fuzz-calm/failures/4/scenario.yaml');
  });
});
