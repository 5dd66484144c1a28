/**
 * `syncsim run` and `syncsim check` as a user calls them (through bin/syncsim.js): exit
 * codes (SPEC §7), the files each run writes, the table, located errors.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'syncsim-cli-'));

function syncsim(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [join(root, 'bin/syncsim.js'), ...args], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('syncsim run', () => {
  it('exits 0 on a passing scenario and on a naive demonstration that fails exactly as expected; writes trace and summary', () => {
    const out = join(work, 'ok');
    const { code, stdout } = syncsim('run', 'scenarios/offline-create-then-sync.yaml', 'scenarios/naive-delete-resurrects.yaml', '--out', out, '--wide');
    expect(code).toBe(0);
    for (const column of ['scenario', 'engine', 'seed', 'verdict', 'dup', 'conv', 'lww', 'causal', 'resur', 'dur', 'lat', 'writes', 'msgs sent/drop/dup', 'latency p50/p99/max', 'virtual', 'wall']) {
      expect(stdout).toContain(column);
    }
    expect(stdout).toMatch(/offline-create-then-sync .*PASS/);
    expect(stdout).toMatch(/naive-delete-resurrects .*PASS \(expected fail\)/);
    expect(stdout).toMatch(/2 runs: .* of virtual time in .* s of wall time \(.*× real time\)/);
    const summary = JSON.parse(readFileSync(join(out, 'offline-create-then-sync-reference-1', 'summary.json'), 'utf8')) as { ok: boolean };
    expect(summary.ok).toBe(true);
    const trace = readFileSync(join(out, 'offline-create-then-sync-reference-1', 'trace.jsonl'), 'utf8').trim().split('\n');
    expect(JSON.parse(trace.at(-1)!)).toMatchObject({ type: 'run.end', ok: true });
  });

  it('keeps the runs of one scenario with two engines apart: <scenario>-<engine>-<seed>', () => {
    const out = join(work, 'engines');
    syncsim('run', 'scenarios/partition-heal.yaml', '--out', out);
    syncsim('run', 'scenarios/partition-heal.yaml', '--engine', 'mutant:memory-queue', '--out', out);
    const engineOf = (dir: string) => (JSON.parse(readFileSync(join(out, dir, 'trace.jsonl'), 'utf8').split('\n')[0]!) as { engine: string }).engine;
    expect(engineOf('partition-heal-reference-1')).toBe('reference');
    expect(engineOf('partition-heal-mutant-memory-queue-1')).toBe('mutant:memory-queue');
  });

  it('runs every scenario file of a folder given as an argument, sorted; an empty folder is exit 2 and one line', () => {
    const folder = mkdtempSync(join(tmpdir(), 'syncsim-folder-'));
    for (const name of ['partition-heal', 'clock-skew']) writeFileSync(join(folder, `${name}.yaml`), readFileSync(join(root, 'scenarios', `${name}.yaml`)));
    writeFileSync(join(folder, 'notes.txt'), 'not a scenario');
    const out = join(work, 'folder');
    const { code, stdout } = syncsim('run', folder, '--out', out);
    expect(code).toBe(0);
    expect(stdout.indexOf('clock-skew')).toBeLessThan(stdout.indexOf('partition-heal'));
    expect(existsSync(join(out, 'clock-skew-reference-1', 'trace.jsonl')) && existsSync(join(out, 'partition-heal-reference-1', 'trace.jsonl'))).toBe(true);
    const empty = mkdtempSync(join(tmpdir(), 'syncsim-empty-'));
    const refused = syncsim('run', empty);
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim().split('\n')).toEqual([`${empty}: no scenario files (.yaml, .yml or .json) in this folder`]);
  });

  it('exits 1 when a check fails, naming the violation and how to reproduce it', () => {
    const { code, stdout } = syncsim('run', 'scenarios/lost-reply-idempotency.yaml', '--engine', 'naive', '--out', join(work, 'fail'));
    expect(code).toBe(1);
    expect(stdout).toMatch(/lost-reply-idempotency .*FAIL/);
    expect(stdout).toMatch(/durability: write phone#3 .* vanished/);
    expect(stdout).toMatch(/reproduce: npx syncsim run scenarios\/lost-reply-idempotency.yaml --seed 1 --engine naive/);
  });

  it('exits 2 with file:line:col on a bad scenario, and runs nothing', () => {
    const bad = join(work, 'bad.yaml');
    writeFileSync(bad, 'name: bad\ndescription: a step names a device that does not exist\nduration: 10s\ndevices: [{ id: phone }]\nsteps:\n  - { at: 1s, device: ipad, offline: true }\n');
    const out = join(work, 'bad-out');
    const { code, stderr } = syncsim('run', bad, '--out', out);
    expect(code).toBe(2);
    expect(stderr).toMatch(new RegExp(`${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:6:\\d+: .*ipad`));
    expect(existsSync(out)).toBe(false);
  });
});

describe('syncsim check', () => {
  it('exits 0 on a clean trace and 1 on one with violations, listing them with their seqs', () => {
    const out = join(work, 'traces');
    syncsim('run', 'scenarios/partition-heal.yaml', '--out', out);
    syncsim('run', 'scenarios/lost-reply-idempotency.yaml', '--engine', 'naive', '--out', out);
    const clean = syncsim('check', join(out, 'partition-heal-reference-1', 'trace.jsonl'));
    expect(clean.code).toBe(0);
    const dirty = syncsim('check', join(out, 'lost-reply-idempotency-naive-1', 'trace.jsonl'));
    expect(dirty.code).toBe(1);
    expect(dirty.stdout).toMatch(/durability +FAIL/);
    expect(dirty.stdout).toMatch(/seq/);
  });

  it('exits 2 naming the line of a malformed trace', () => {
    const broken = join(work, 'broken.jsonl');
    writeFileSync(broken, '{"seq":0,"t":0,"type":"run.start","version":1,"scenario":"x","seed":1,"engine":"reference","devices":[]}\n{"seq":1,"t":5,"type":\n');
    const { code, stderr } = syncsim('check', broken);
    expect(code).toBe(2);
    expect(stderr).toMatch(/broken\.jsonl:2: not valid JSON/);
  });
});
