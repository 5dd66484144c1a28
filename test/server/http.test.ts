import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** `syncsim serve` as a real process, driven with real fetch: the adapter, the CLI and the model together. */
describe('syncsim serve over HTTP', () => {
  let child: ChildProcess;
  let base = '';
  let output = '';

  beforeAll(async () => {
    child = spawn(
      process.execPath,
      ['node_modules/tsx/dist/cli.mjs', 'src/cli/main.ts', 'serve', '--port', '0', '--user', 'alice:tok-a', '--user', 'bob:tok-b'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    base = await new Promise<string>((resolve, reject) => {
      child.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const found = /listening on (http:\/\/127\.0\.0\.1:(\d+))/.exec(output);
        // The banner ends with the Ctrl-C hint; by then the users are printed too.
        if (found?.[1] && Number(found[2]) > 0 && output.includes('Ctrl-C')) resolve(found[1]);
      });
      child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${output}`)));
    });
  }, 20_000);

  afterAll(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });

  const as = (token: string, extra: Record<string, string> = {}) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json', ...extra });

  it('prints the users and tokens', () => {
    expect(output).toContain('alice');
    expect(output).toContain('tok-a');
    expect(output).toContain('bob');
  });

  it('serves a whole sync story, then stops cleanly on SIGTERM', async () => {
    const create = JSON.stringify({ clientId: 'c1', title: 'Buy milk', stamp: '0001', device: 'phone' });
    const created = await fetch(`${base}/v1/tasks`, { method: 'POST', headers: as('tok-a', { 'idempotency-key': 'k1' }), body: create });
    expect(created.status).toBe(201);
    const task = (await created.json()).data;
    expect(task).toMatchObject({ id: 't1', version: 1 });

    const retry = await fetch(`${base}/v1/tasks`, { method: 'POST', headers: as('tok-a', { 'idempotency-key': 'k1' }), body: create });
    expect(retry.status).toBe(200);
    expect(await retry.json()).toEqual({ data: task, meta: { idempotent: true } });

    const update = (version: number, title: string, stamp: string) =>
      fetch(`${base}/v1/tasks/t1`, { method: 'PUT', headers: as('tok-a'), body: JSON.stringify({ title, version, stamp, device: 'ipad' }) });
    expect((await update(1, 'Buy oat milk', '0002')).status).toBe(200);
    const conflict = await update(1, 'stale', '0003');
    expect(conflict.status).toBe(409);
    expect((await conflict.json()).error).toMatchObject({ code: 'VERSION_CONFLICT', currentVersion: 2, serverData: { title: 'Buy oat milk' } });

    const deleted = await fetch(`${base}/v1/tasks/t1`, { method: 'DELETE', headers: as('tok-a') });
    expect((await deleted.json()).data).toMatchObject({ deleted: true, version: 3 });

    const delta = await fetch(`${base}/v1/tasks?since=1`, { headers: as('tok-a', { 'accept-encoding': 'gzip' }) });
    expect(delta.headers.get('content-encoding')).toBe('gzip');
    expect((await delta.json()).data).toMatchObject({ tasks: [], deletedTaskIds: ['t1'], deletedTasks: [{ id: 't1', deleted: true }], nextCursor: 3, hasMore: false });

    const batch = await fetch(`${base}/v1/sync/batch`, {
      method: 'POST',
      headers: as('tok-a'),
      body: JSON.stringify({
        cursor: 3,
        operations: [
          { type: 'create', clientId: 'c2', title: 'Call mum', stamp: '0004' },
          { type: 'update', id: 't1', title: 'revive?', stamp: '0005' },
        ],
      }),
    });
    const batchBody = await batch.json();
    expect(batchBody.results.map((r: { status: number }) => r.status)).toEqual([201, 409]);
    expect(batchBody.delta.tasks.map((t: { title: string }) => t.title)).toEqual(['Call mum']);
    expect(batchBody.cursor).toBe(4);

    const head = await fetch(`${base}/v1/sync/status?since=4`, { method: 'HEAD', headers: as('tok-a') });
    expect(head.status).toBe(200);
    expect(head.headers.get('x-has-updates')).toBe('false');
    expect(head.headers.get('x-cursor')).toBe('4');
    expect(await head.text()).toBe('');

    expect((await fetch(`${base}/v1/tasks/t1`, { headers: as('tok-b') })).status).toBe(404);
    const unauthorized = await fetch(`${base}/v1/tasks`, { headers: { authorization: 'Bearer wrong' } });
    expect(unauthorized.status).toBe(401);
    expect((await unauthorized.json()).error.code).toBe('UNAUTHORIZED');

    const huge = await fetch(`${base}/v1/tasks`, { method: 'POST', headers: as('tok-a'), body: 'x'.repeat(1024 * 1024 + 1) });
    expect(huge.status).toBe(413);
    expect((await huge.json()).error.code).toBe('PAYLOAD_TOO_LARGE');
    // The server still answers after refusing a large upload.
    expect((await fetch(`${base}/v1/sync/status`, { headers: as('tok-a') })).status).toBe(200);

    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
    expect(output).toContain('syncsim serve stopped');
  }, 15_000);
});
