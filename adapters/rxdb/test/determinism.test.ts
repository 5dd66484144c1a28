/**
 * Determinism across processes (issue 13, point 3): the same scenario and seed give the same
 * trace bytes in two child processes, one of which ran another scenario first (RxDB keeps
 * process-wide state: open collections, database names, its monotonic clock).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const adapter = join(dirname(fileURLToPath(import.meta.url)), '..');
const root = dirname(createRequire(import.meta.url).resolve('syncsim/package.json'));
const cli = join(root, 'bin', 'syncsim.js');
const scenario = (name: string) => join(root, 'scenarios', `${name}.yaml`);
const out = mkdtempSync(join(tmpdir(), 'syncsim-rxdb-det-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** Runs the scenarios in one child process; returns the SHA-256 of the last one's trace file. */
function traceBytesHash(label: string, scenarios: string[]): string {
  const dir = join(out, label);
  execFileSync(process.execPath, [cli, 'run', ...scenarios, '--engine', adapter, '--seed', '7', '--out', dir], { stdio: 'pipe', timeout: 180_000 });
  const target = scenarios[scenarios.length - 1]!.split('/').pop()!.replace(/\.yaml$/, '');
  const run = readdirSync(dir).find((d) => d.startsWith(target));
  if (run === undefined) throw new Error(`no run folder for ${target} in ${dir}`);
  return createHash('sha256').update(readFileSync(join(dir, run, 'trace.jsonl'))).digest('hex');
}

describe('determinism across processes', () => {
  it('the same scenario and seed give the same trace bytes in two processes, whatever ran before', () => {
    const target = scenario('three-devices-offline');
    const alone = traceBytesHash('alone', [target]);
    const after = traceBytesHash('after', [scenario('crash-mid-network-call'), target]);
    expect(after).toBe(alone);
  });
});
