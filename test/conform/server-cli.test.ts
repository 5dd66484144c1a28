/**
 * `syncsim conform --server` as a user calls it (bin/syncsim.js in a child process, the
 * server in this one on 127.0.0.1): exit 0 with the three files when every rule holds, 1
 * naming the rule against a planted defect, 2 for bad usage or an unreachable server.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerConformanceJson } from '../../src/conform/server/report.ts';
import { SyncServer } from '../../src/server/index.ts';
import { checkXml } from '../fuzz/xml.ts';
import { LeaksTaskById } from '../fixtures/servers/leaks-by-id.ts';
import { serve, TOKENS, USERS, type RunningServer } from '../fixtures/servers/planted.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'syncsim-conform-server-'));

/** Asynchronous, so this process's server answers while the CLI runs. */
function syncsim(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(root, 'bin/syncsim.js'), ...args], { cwd: root, timeout: 120_000, env: { ...process.env, COLUMNS: '120' } }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : null, stdout, stderr });
    });
  });
}

let good: RunningServer;
let leaky: RunningServer;
beforeAll(async () => {
  good = await serve(new SyncServer({ users: USERS }));
  leaky = await serve(new LeaksTaskById());
});
afterAll(async () => {
  await good.close();
  await leaky.close();
});

const tokenArgs = ['--token', TOKENS[0], '--token', TOKENS[1]];

describe('syncsim conform --server', () => {
  it('exits 0 against syncsim serve, prints the table and writes conformance.md, conformance.json and junit.xml', async () => {
    const out = join(work, 'good');
    const { code, stdout, stderr } = await syncsim('conform', '--server', good.url, ...tokenArgs, '--out', out);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/API conformance of http:\/\/127\.0\.0\.1:\d+\/: \d+ of \d+ rules held, 0 violated, 3 not applicable/);
    expect(stdout).toMatch(/^pagination\/concurrent-writes +held/m);
    const json = JSON.parse(readFileSync(join(out, 'conformance.json'), 'utf8')) as ServerConformanceJson;
    expect(json).toMatchObject({ tool: 'syncsim conform --server', ok: true, violated: [], notApplicable: ['limits/slow-request', 'limits/retry-after', 'limits/quota'] });
    expect(readFileSync(join(out, 'conformance.md'), 'utf8')).toContain('| isolation/by-id | both | ✅ held |');
    const { attributes } = checkXml(readFileSync(join(out, 'junit.xml'), 'utf8'));
    expect(attributes.filter((a) => a.classname === 'syncsim.conform.server')).toHaveLength(json.figures.rules);
  });

  it('exits 1 against a server that leaks a task by id, naming the rule, the request and the reply', async () => {
    const out = join(work, 'leaky');
    const { code, stdout } = await syncsim('conform', '--server', leaky.url, ...tokenArgs, '--out', out);
    expect(code).toBe(1);
    expect(stdout).toMatch(/1 violated/);
    expect(stdout).toMatch(/^isolation\/by-id: user B reads user A's task t\d+: expected 404 or 405, got 200\n {2}request: GET \/v1\/tasks\/t\d+\n {2}reply: 200 \{"data"/m);
    const md = readFileSync(join(out, 'conformance.md'), 'utf8');
    expect(md).toContain('## isolation/by-id: violated');
    expect(md).toMatch(/- request: `GET \/v1\/tasks\/t\d+`/);
    const junit = readFileSync(join(out, 'junit.xml'), 'utf8');
    expect(junit).toContain('failures="1"');
  });

  it('exits 2 for an unreachable server, one token, or --server with --engine', async () => {
    const closed = await serve(new SyncServer({ users: USERS }));
    await closed.close();
    const unreachable = await syncsim('conform', '--server', closed.url, ...tokenArgs, '--out', join(work, 'none'));
    expect(unreachable.code).toBe(2);
    expect(unreachable.stderr).toMatch(/^syncsim conform: cannot reach the server at http:\/\/127\.0\.0\.1:\d+\/: connection refused/);
    const oneToken = await syncsim('conform', '--server', good.url, '--token', TOKENS[0]);
    expect(oneToken.code).toBe(2);
    expect(oneToken.stderr).toContain("give two users' tokens: --token T --token T2 (got 1)");
    const both = await syncsim('conform', '--server', good.url, ...tokenArgs, '--engine', 'reference');
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('not both');
  });
});
