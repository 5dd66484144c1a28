/**
 * `syncsim check` on hostile trace files (issue 14, point 5; SPEC §5): each is bad input,
 * exit 2 with `file:line: problem` on one line, never a stack trace. The same files go
 * through the library in test/trace/hostile.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { hostileTraces, recordedLines } from '../trace/hostile-traces.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'syncsim-check-hostile-'));

function check(file: string): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [join(root, 'bin/syncsim.js'), 'check', file], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const cases = hostileTraces(await recordedLines());

describe('syncsim check on hostile traces', () => {
  it('has every hostile case of the issue', () => expect(cases.length).toBeGreaterThanOrEqual(14));

  it.each(cases.map((c, i) => [c.name, c, i] as const))('%s: exit 2 with file:line and the problem, no stack trace', (_name, c, i) => {
    const file = join(work, `hostile-${i}.jsonl`);
    writeFileSync(file, c.bytes);
    const { code, stdout, stderr } = check(file);
    expect({ name: c.name, code, stdout }).toEqual({ name: c.name, code: 2, stdout: '' });
    const lines = stderr.trimEnd().split('\n');
    expect(lines, c.name).toHaveLength(1);
    const prefix = `${file}:${c.line}: `;
    expect(lines[0]!.startsWith(prefix), `${c.name}: ${lines[0]}`).toBe(true);
    expect(lines[0]!.slice(prefix.length), c.name).toMatch(c.message);
    expect(stderr).not.toMatch(/TypeError|\n\s+at /);
  });

  it('a file that does not exist: exit 2, one line', () => {
    const { code, stderr } = check(join(work, 'missing.jsonl'));
    expect(code).toBe(2);
    expect(stderr.trim()).toBe(`${join(work, 'missing.jsonl')}: no such file`);
  });
});
