/**
 * What the CLI prints into a pipe (issue 12, point 7): tables that fit COLUMNS, no escape
 * codes, engine names whole, progress without `\r`, a busy port as one line and exit 2.
 */
import { spawnSync, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkerNames } from '../../src/check/index.ts';
import { engines } from '../../src/engines/registry.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'syncsim-terminal-'));
const ESCAPE = '\x1b';

function syncsim(env: Record<string, string>, ...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [join(root, 'bin/syncsim.js'), ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, FORCE_COLOR: undefined, NO_COLOR: undefined, ...env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const longest = (text: string) => Math.max(...text.split('\n').map((line) => [...line].length));

describe('syncsim run into a pipe', () => {
  it('fits COLUMNS=80 with no escape codes', () => {
    const { code, stdout } = syncsim({ COLUMNS: '80' }, 'run', 'scenarios/partition-heal.yaml', '--out', join(work, 'run80'));
    expect(code).toBe(0);
    expect(longest(stdout)).toBeLessThanOrEqual(80);
    expect(stdout).not.toContain(ESCAPE);
    expect(stdout).toMatch(/partition-heal +reference +1 +PASS +all 10 ok/);
    // Virtual time in clock units.
    expect(stdout).toMatch(/1m 32s/);
  });

  it('fits 80 columns when a row names failing checkers, and names them whole', () => {
    const { code, stdout } = syncsim({ COLUMNS: '80' }, 'run', 'scenarios/lost-reply-idempotency.yaml', '--engine', 'naive', '--out', join(work, 'fail80'));
    expect(code).toBe(1);
    const table = stdout.split('\nlost-reply-idempotency (naive')[0]!;
    expect(longest(table)).toBeLessThanOrEqual(80);
    for (const name of ['no-duplicates', 'durability', 'read-your-writes']) expect(table).toContain(`✗${name}(`);
  });

  it('--wide gives a column for every checker', () => {
    const { stdout } = syncsim({ COLUMNS: '80' }, 'run', 'scenarios/partition-heal.yaml', '--wide', '--out', join(work, 'wide'));
    const head = stdout.split('\n').find((line) => line.includes('scenario'))!;
    expect(head.split('│').map((cell) => cell.trim()).filter((cell) => cell !== '')).toHaveLength(4 + checkerNames.length + 5);
    expect(stdout).not.toContain(ESCAPE);
  });
});

describe('syncsim engines into a pipe', () => {
  it.each([['80'], ['50']])('at COLUMNS=%s: every name whole on its line, no escape codes', (columns) => {
    const { code, stdout } = syncsim({ COLUMNS: columns }, 'engines');
    expect(code).toBe(0);
    expect(stdout).not.toContain(ESCAPE);
    const firstWords = stdout.split('\n').map((line) => line.split(/\s+/)[0]);
    for (const engine of engines) expect(firstWords).toContain(engine.name);
    expect(longest(stdout)).toBeLessThanOrEqual(Number(columns));
  });
});

describe('syncsim check into a pipe', () => {
  it('fits COLUMNS=80', () => {
    const out = join(work, 'check');
    syncsim({}, 'run', 'scenarios/lost-reply-idempotency.yaml', '--engine', 'naive', '--out', out);
    const { code, stdout } = syncsim({ COLUMNS: '80' }, 'check', join(out, 'lost-reply-idempotency-naive-1', 'trace.jsonl'));
    expect(code).toBe(1);
    expect(stdout.split('\n').slice(1).every((line) => [...line].length <= 80)).toBe(true);
    expect(stdout).toMatch(/durability +FAIL/);
  });
});

describe('syncsim fuzz into a pipe', () => {
  it('writes progress as whole lines, never \\r', () => {
    const { stderr, stdout } = syncsim({}, 'fuzz', '--seeds', '2', '--out', join(work, 'fuzz'));
    expect(stderr).not.toContain('\r');
    expect(stderr).toMatch(/^2\/2 seeds, 0 failed, .* seeds\/s$/m);
    expect(stdout).toMatch(/fuzz swarm with reference: 2 seeds, 2 passed, 0 failed/);
  });
});

describe('syncsim serve on a port in use', () => {
  let busy: Server;
  let port: number;
  beforeAll(async () => {
    busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    port = (busy.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => busy.close(() => resolve())));

  it('says so in one line and exits 2', async () => {
    // Async spawn: the port is held by this process, whose event loop must keep running.
    const child = spawn(process.execPath, [join(root, 'bin/syncsim.js'), 'serve', '--port', String(port)], { cwd: root });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trimEnd().split('\n')).toEqual([`syncsim serve: port ${port} is already in use on 127.0.0.1:${port}; pick another with --port N (0 picks a free one)`]);
  });
});
