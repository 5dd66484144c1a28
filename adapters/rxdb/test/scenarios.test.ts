/**
 * The adapter under syncsim, as a team's suite would run it: library scenarios it must pass,
 * and every shrunk finding in docs/analyses/rxdb/ reproducing its recorded trace byte for byte.
 */
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runScenario } from 'syncsim';
import rxdb from '../index.ts';

const here = dirname(fileURLToPath(import.meta.url));
const root = dirname(createRequire(import.meta.url).resolve('syncsim/package.json'));
const scenarios = join(root, 'scenarios');
const cli = join(root, 'bin', 'syncsim.js');
const findings = join(here, '..', '..', '..', 'docs', 'analyses', 'rxdb');
const expectedFile = join(findings, 'expected.json');

/** The trace hash and verdict each finding's run gave when it was recorded (UPDATE_FINDINGS=1 rewrites them). */
type Expected = Record<string, { hash: string; violations: string[] }>;
const expected = JSON.parse(readFileSync(expectedFile, 'utf8')) as Expected;

describe('library scenarios on RxDB', () => {
  for (const name of ['partition-heal', 'crash-after-local-write', 'lost-reply-idempotency', 'delete-vs-update']) {
    it(`${name} holds every guarantee`, async () => {
      const run = await runScenario(join(scenarios, `${name}.yaml`), { engine: rxdb, seed: 1 });
      expect(run.violations).toEqual([]);
      expect(run.ok).toBe(true);
    });
  }
});

/** `syncsim run <file>` in a fresh process, as a reader reproduces a finding: the run.end hash (of every trace line) and the violations. */
function runFile(file: string): { hash: string; violations: string[] } {
  const out = mkdtempSync(join(tmpdir(), 'syncsim-rxdb-finding-'));
  try {
    spawnSync(process.execPath, [cli, 'run', join(findings, file), '--out', out], { stdio: 'pipe', timeout: 300_000 });
    const dir = readdirSync(out).find((d) => statSync(join(out, d)).isDirectory());
    if (dir === undefined) throw new Error(`syncsim run ${file} wrote no run folder`);
    const lines = readFileSync(join(out, dir, 'trace.jsonl'), 'utf8').trim().split('\n');
    const end = JSON.parse(lines[lines.length - 1]!) as { type: string; hash: string; violations: string[] };
    return { hash: end.hash, violations: [...end.violations].sort() };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

describe('findings in docs/analyses/rxdb reproduce byte for byte with syncsim run', () => {
  const files = readdirSync(findings).filter((f) => f.endsWith('.yaml')).sort();
  it.skipIf(process.env.UPDATE_FINDINGS === '1')('every finding has a recorded expectation', () => {
    expect(Object.keys(expected).sort()).toEqual(files);
  });
  for (const file of files) {
    it(file, () => {
      const got = runFile(file);
      if (process.env.UPDATE_FINDINGS === '1') {
        const current = JSON.parse(readFileSync(expectedFile, 'utf8')) as Expected;
        writeFileSync(expectedFile, JSON.stringify({ ...current, [file]: got }, null, 2) + '\n');
        return;
      }
      expect(got).toEqual(expected[file]);
    });
  }
});
