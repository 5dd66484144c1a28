import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fuzz } from '../../src/api/fuzz.ts';
import { runScenario } from '../../src/api/run-scenario.ts';
import { startHttpServer, type RunningHttpServer } from '../../src/server/listen.ts';
import { SyncServer } from '../../src/server/server.ts';
import { freePort } from '../support/free-port.ts';

const run = promisify(execFile);
const SCENARIOS = ['partition-heal', 'lost-reply-idempotency', 'crash-mid-network-call', 'server-maintenance', 'rate-limit-sync-storm'];

/** `syncsim serve` in another process, restarted with an empty store before each run (--reset). */
describe('devices against a real server (run/fuzz --server)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'syncsim-remote-'));
  const pidFile = join(dir, 'serve.pid');
  let port = 0;
  let reset = '';

  beforeAll(async () => {
    port = await freePort();
    reset = `node test/support/restart-serve.mjs ${port} ${pidFile}`;
    await run('sh', ['-c', reset], { timeout: 20_000 });
  });

  afterAll(async () => {
    const pid = Number(readFileSync(pidFile, 'utf8'));
    if (Number.isInteger(pid) && pid > 0) process.kill(pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it.each(SCENARIOS)('%s gives the same trace, byte for byte, as against the in-process model', async (name) => {
    const local = await runScenario(`scenarios/${name}.yaml`);
    const remote = await runScenario(`scenarios/${name}.yaml`, { server: { url: `http://127.0.0.1:${port}`, tokens: { demo: 'demo-token' }, reset } });
    expect(remote.violations).toEqual(local.violations);
    expect(remote.traceText()).toBe(local.traceText());
  }, 60_000);

  it('a swarm campaign against the server passes, as against the model', async () => {
    const campaign = await fuzz({ profile: 'swarm', seeds: 4, start: 1, server: { url: `http://127.0.0.1:${port}`, tokens: { demo: 'demo-token' }, reset } });
    expect(campaign.failures.map((f) => f.violations)).toEqual([]);
    expect(campaign.jobs).toBe(1);
  }, 120_000);

  it('the CLI: run --server with a missing token for a user is exit 2; an unreachable server too, naming it', async () => {
    const cli = (args: string[]) => run(process.execPath, ['bin/syncsim.js', ...args], { timeout: 30_000 }).then(() => 0, (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }));
    const dead = await freePort();
    const unreachable = await cli(['run', 'scenarios/partition-heal.yaml', '--server', `http://127.0.0.1:${dead}`, '--token', 'x', '--out', dir]);
    expect(unreachable).toMatchObject({ code: 2 });
    expect((unreachable as { stderr: string }).stderr).toMatch(new RegExp(`127\\.0\\.0\\.1:${dead}.*ECONNREFUSED`));
    expect((unreachable as { stderr: string }).stderr).not.toMatch(/\n\s+at /);
    const usage = await cli(['run', 'scenarios/partition-heal.yaml', '--token', 'x']);
    expect(usage).toMatchObject({ code: 2 });
  }, 60_000);
});

describe('a planted defect in a real server', () => {
  let planted: Server;
  let model: RunningHttpServer;
  let url = '';

  beforeAll(async () => {
    // The model behind a proxy that gives every create a fresh clientId and drops its
    // Idempotency-Key: a server that forgets creates it has seen. A lost reply and a retry then make two tasks.
    model = await startHttpServer(new SyncServer({ users: [{ name: 'demo', token: 'demo-token' }] }), { port: 0, host: '127.0.0.1', now: () => 0 });
    let n = 0;
    planted = createServer((incoming, outgoing) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (c: Buffer) => chunks.push(c));
      incoming.on('end', () => {
        let body = Buffer.concat(chunks);
        const headers = { ...incoming.headers };
        const forget = (op: { clientId?: string; idempotencyKey?: string }) => {
          op.clientId = `forgotten-${++n}`;
          delete op.idempotencyKey;
        };
        if (incoming.method === 'POST' && headers['content-encoding'] === undefined && body.length > 0) {
          const parsed = JSON.parse(body.toString('utf8')) as { clientId?: string; operations?: Array<{ type?: string; clientId?: string }> };
          if (incoming.url === '/v1/tasks') forget(parsed);
          if (incoming.url === '/v1/sync/batch') for (const op of parsed.operations ?? []) if (op.type === 'create') forget(op);
          body = Buffer.from(JSON.stringify(parsed));
          delete headers['idempotency-key'];
          headers['content-length'] = String(body.length);
        }
        const forward = request({ host: '127.0.0.1', port: model.port, method: incoming.method, path: incoming.url, headers }, (reply) => {
          outgoing.writeHead(reply.statusCode ?? 500, reply.headers);
          reply.pipe(outgoing);
        });
        forward.end(body);
      });
    });
    await new Promise<void>((resolve) => planted.listen(0, '127.0.0.1', resolve));
    const address = planted.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => planted.close(resolve));
    await model.close();
  });

  it('a lost reply and its retry make a duplicate, and the run says so', async () => {
    const result = await runScenario('scenarios/lost-reply-idempotency.yaml', { server: { url, tokens: { demo: 'demo-token' } } });
    expect(result.violations).toContain('no-duplicates');
  }, 60_000);

});


describe('a fuzz campaign against a server that forgets creates', () => {
  let server: Server;
  let port = 0;

  beforeAll(async () => {
    // The model in this process behind node:http, which drops every create's clientId and Idempotency-Key.
    const model = new SyncServer({ users: [{ name: 'demo', token: 'demo-token' }] });
    let n = 0;
    server = createServer((incoming, outgoing) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (c: Buffer) => chunks.push(c));
      incoming.on('end', () => {
        const headers = Object.fromEntries(Object.entries(incoming.headers).map(([k, v]) => [k, String(v)]));
        let body: string | null = chunks.length === 0 ? null : Buffer.concat(chunks).toString('utf8');
        if (incoming.method === 'POST' && body !== null && headers['content-encoding'] === undefined) {
          const parsed = JSON.parse(body) as { clientId?: string; operations?: Array<{ type?: string; clientId?: string; idempotencyKey?: string }> };
          for (const op of parsed.operations ?? []) {
            if (op.type !== 'create') continue;
            op.clientId = `forgotten-${++n}`;
            delete op.idempotencyKey;
          }
          if (incoming.url === '/v1/tasks') parsed.clientId = `forgotten-${++n}`;
          body = JSON.stringify(parsed);
          delete headers['idempotency-key'];
        }
        const reply = model.handle({ method: incoming.method ?? 'GET', path: incoming.url ?? '/', headers, body }, 0);
        outgoing.writeHead(reply.status, reply.headers);
        outgoing.end(reply.body ?? undefined);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    port = typeof address === 'object' && address !== null ? address.port : 0;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('catches the duplicate (no-duplicates)', async () => {
    // No --reset: a shell command cannot reach a server in this very process (spawnSync blocks it).
    const campaign = await fuzz({ profile: 'flaky-network', seeds: 4, start: 1, shrink: false, server: { url: `http://127.0.0.1:${port}`, tokens: { demo: 'demo-token' } } });
    expect(campaign.failures.some((f) => f.violations.includes('no-duplicates'))).toBe(true);
  }, 180_000);
});
