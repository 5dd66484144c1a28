/**
 * `syncsim conform` as a user calls it (through bin/syncsim.js): the card of reference is
 * clean, a mutant's card names what it breaks with files that reproduce it, a guarantee no
 * run judged fails the card, bad usage exits 2. Few seeds, one or two profiles: bounded.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ConformanceJson } from '../../src/conform/json.ts';
import { checkXml } from '../fuzz/xml.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'syncsim-conform-'));

function syncsim(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [join(root, 'bin/syncsim.js'), ...args], { cwd: root, encoding: 'utf8', timeout: 300_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const readJson = (out: string) => JSON.parse(readFileSync(join(out, 'conformance.json'), 'utf8')) as ConformanceJson;

describe('syncsim conform', () => {
  it('gives reference a clean card: every guarantee held, exit 0, the three files written', () => {
    const out = join(work, 'reference');
    const { code, stdout, stderr } = syncsim('conform', '--engine', 'reference', '--seeds', '3', '--profiles', 'calm,swarm', '--out', out);
    expect(code).toBe(0);
    expect(stdout).toContain('conformance of reference: All 13 guarantees held');
    // One line per finished part; no \r progress when stderr is not a terminal.
    expect(stderr).toMatch(/^library: 22 scenarios, 22 passed, 0 failed; 4 left out \(.*naive-delete-resurrects\.yaml.*\)$/m);
    expect(stderr).toMatch(/^fuzz calm: 3 seeds, 3 passed, 0 failed$/m);
    expect(stderr).toMatch(/^fuzz swarm: 3 seeds, 3 passed, 0 failed$/m);
    expect(stderr).not.toContain('\r');
    const json = readJson(out);
    expect(json).toMatchObject({ engine: 'reference', ok: true, violated: [], notExercised: [] });
    expect(json.figures.sources).toEqual([{ source: 'library', runs: 22, failed: 0 }, { source: 'fuzz-calm', runs: 3, failed: 0 }, { source: 'fuzz-swarm', runs: 3, failed: 0 }]);
    const md = readFileSync(join(out, 'conformance.md'), 'utf8').split('\n');
    expect(md[0]).toBe('# Conformance report card: reference');
    const header = md.indexOf('| guarantee | verdict | evidence (runs that exercised it) | first violation |');
    expect(md[header + 1]).toBe('|---|---|---|---|');
    const rows = md.slice(header + 2).filter((l) => l.startsWith('| '));
    expect(rows).toHaveLength(13);
    for (const row of rows) expect(row).toMatch(/^\| [a-z-]+ \| ✅ held \| library \d+\/22 .*— [\d,]+ .* \| — \|$/);
    const { attributes } = checkXml(readFileSync(join(out, 'junit.xml'), 'utf8'));
    expect(attributes.filter((a) => a.classname === 'syncsim.conform.reference')).toHaveLength(13);
    expect(attributes.find((a) => a.tests !== undefined)).toMatchObject({ tests: '13', failures: '0' });
  });

  it('names read-your-writes violated by mutant:save-skips-refresh, with a shrunk scenario that reproduces it', () => {
    const out = join(work, 'save-skips-refresh');
    const { code, stdout } = syncsim('conform', '--engine', 'mutant:save-skips-refresh', '--seeds', '2', '--profiles', 'calm', '--out', out);
    expect(code).toBe(1);
    expect(stdout).toMatch(/violated +read-your-writes/);
    const json = readJson(out);
    expect(json.violated).toEqual(['read-your-writes']);
    const fuzz = json.guarantees['read-your-writes']!.violations.filter((v) => v.source === 'fuzz-calm');
    expect(fuzz.length).toBeGreaterThan(0);
    const first = fuzz[0]!;
    expect(first.scenarioFile).toBe(join(out, 'fuzz-calm', 'failures', String(first.seed), 'scenario.yaml'));
    expect(first).toMatchObject({ reproducible: true, reproduce: `npx syncsim run ${first.scenarioFile}` });
    expect(first.message).toMatch(/returned on .*, a read there/);
    const md = readFileSync(join(out, 'conformance.md'), 'utf8');
    expect(md).toMatch(/^\| read-your-writes \| ❌ violated \| .* \| library .*<br>`npx syncsim run scenarios\/.*\.yaml --seed \d+ --engine mutant:save-skips-refresh` \|$/m);
    expect(md).toContain(`  - reproduce: \`npx syncsim run ${first.scenarioFile}\``);
    // The shrunk file alone reproduces the violation.
    const rerun = syncsim('run', first.scenarioFile, '--out', join(work, 'rerun'));
    expect(rerun.code).toBe(1);
    expect(rerun.stdout).toMatch(/read-your-writes: after .* returned on/);
    const { attributes } = checkXml(readFileSync(join(out, 'junit.xml'), 'utf8'));
    expect(attributes.find((a) => a.type === 'read-your-writes')?.message).toMatch(/^read-your-writes violated in \d+ runs?$/);
  });

  it('shows a mutant that only the library catches (cursor-by-timestamp: large deltas), its failing trace written', () => {
    const out = join(work, 'cursor-by-timestamp');
    const { code } = syncsim('conform', '--engine', 'mutant:cursor-by-timestamp', '--seeds', '1', '--profiles', 'calm', '--jobs', '1', '--out', out);
    expect(code).toBe(1);
    const json = readJson(out);
    expect(json.violated).toEqual(['convergence']);
    const violations = json.guarantees.convergence!.violations;
    expect(violations.map((v) => v.source)).toEqual(['library']);
    expect(violations[0]).toMatchObject({ scenario: 'large-10k-tasks', scenarioFile: 'scenarios/large-10k-tasks.yaml', reproduce: 'npx syncsim run scenarios/large-10k-tasks.yaml --seed 1 --engine mutant:cursor-by-timestamp' });
    expect(existsSync(join(out, 'library', 'large-10k-tasks', 'trace.jsonl'))).toBe(true);
    expect(json.figures.sources.find((s) => s.source === 'fuzz-calm')).toEqual({ source: 'fuzz-calm', runs: 1, failed: 0 });
  });

  it('fails the card, exit 1, when a guarantee was never exercised, and says which', () => {
    const library = join(work, 'one-scenario');
    mkdirSync(library, { recursive: true });
    copyFileSync(join(root, 'scenarios/crash-after-local-write.yaml'), join(library, 'crash-after-local-write.yaml'));
    const out = join(work, 'not-exercised');
    const { code, stdout } = syncsim('conform', '--engine', 'reference', '--seeds', '0', '--scenarios', library, '--out', out);
    expect(code).toBe(1);
    expect(stdout).toContain('not exercised: causal, no-resurrection — no run judged them, so they are not held (exit 1)');
    const json = readJson(out);
    expect(json).toMatchObject({ ok: false, violated: [], notExercised: ['causal', 'no-resurrection'] });
    expect(readFileSync(join(out, 'junit.xml'), 'utf8')).toContain('skipped="2"');
  });

  it('exits 2 on an unknown engine, a bad --profiles or --seeds, or no --engine; --help names the options', () => {
    const out = join(work, 'bad');
    expect(syncsim('conform', '--engine', 'mutant:nope', '--out', out)).toMatchObject({ code: 2, stderr: expect.stringContaining('unknown engine "mutant:nope"') });
    expect(syncsim('conform', '--engine', 'reference', '--profiles', 'calm,stormy', '--out', out)).toMatchObject({ code: 2, stderr: expect.stringContaining('unknown profile "stormy"') });
    expect(syncsim('conform', '--engine', 'reference', '--seeds', 'many', '--out', out)).toMatchObject({ code: 2, stderr: expect.stringContaining('--seeds must be a non-negative integer') });
    expect(syncsim('conform', '--out', out)).toMatchObject({ code: 2, stderr: expect.stringContaining('--engine') });
    expect(existsSync(out)).toBe(false);
    const help = syncsim('conform', '--help');
    expect(help.code).toBe(0);
    for (const option of ['--engine', '--seeds', '--profiles', '--jobs', '--out', '--scenarios']) expect(help.stdout).toContain(option);
    expect(syncsim('--help').stdout).toMatch(/conform +the conformance report card of an engine/);
  });
});
