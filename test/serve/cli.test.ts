import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeFrame, MAGIC } from '../../src/server/persist/frame.ts';
import { auth, serveExit, startServe } from './serve-process.ts';

describe('syncsim serve --data/--faults/--trace on the command line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'syncsim-serve-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses an unknown profile, a seed without faults, and one file for both', async () => {
    const profile = await serveExit(['--faults', 'stormy']);
    expect(profile.code).toBe(2);
    expect(profile.output).toMatch(/--faults must be one of calm, flaky, outage, chaos, got "stormy"/);
    expect((await serveExit(['--seed', '3'])).output).toMatch(/--seed is the fault seed/);
    expect((await serveExit(['--data', 'x', '--trace', 'x'])).code).toBe(2);
  }, 30_000);

  it('refuses a damaged data file with its byte offset and changes nothing', async () => {
    const file = join(dir, 'damaged.journal');
    const record = (title: string) => encodeFrame(Buffer.from(JSON.stringify({ now: 1, user: 'demo', method: 'POST', path: '/v1/tasks', headers: {}, body: Buffer.from(JSON.stringify({ clientId: title, title, stamp: '1' })).toString('base64'), status: 201 })));
    const bad = record('a');
    bad[30] = 0x21;
    writeFileSync(file, Buffer.concat([Buffer.from(MAGIC), bad, record('b')]));
    const { code, output } = await serveExit(['--data', file]);
    expect(code).toBe(2);
    expect(output).toMatch(/damaged\.journal: byte 18: record 1 at byte 18 is damaged .*Nothing was changed/);
    expect(output).not.toMatch(/\n\s+at /);
    const notJournal = join(dir, 'tasks.yaml');
    writeFileSync(notJournal, 'tasks: []\n');
    expect((await serveExit(['--data', notJournal])).output).toMatch(/not a syncsim journal.*give another file to --data/);
  }, 30_000);

  it('a stopped server leaves a trace that `syncsim check` judges, listing what it cannot', async () => {
    const trace = join(dir, 'out.jsonl');
    const serve = await startServe(['--faults', 'calm', '--seed', '2', '--trace', trace]);
    expect(serve.output()).toContain('faults calm, seed 2');
    const res = await fetch(`${serve.base}/v1/tasks`, { method: 'POST', headers: auth(), body: JSON.stringify({ clientId: 'c1', title: 'milk', stamp: '1' }) });
    expect(res.status).toBe(201);
    expect(await serve.stop()).toBe(0);
    const check = spawnSync(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'src/cli/main.ts', 'check', trace, '--wide'], { encoding: 'utf8', timeout: 20_000 });
    expect(check.status, check.stdout + check.stderr).toBe(0);
    expect(check.stdout).toMatch(/no-duplicates +ok/);
    expect(check.stdout).toMatch(/convergence +not judged/);
    expect(check.stdout).toMatch(/server-errors +ok/);
  }, 40_000);
});
