/**
 * The API suite (SPEC §4) against `syncsim serve`'s server model behind node:http on
 * 127.0.0.1: every rule holds (the two that judge only what comes are not applicable), twice
 * in a row on the same server, since each run works on tasks of its own.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conformServer } from '../../src/api/conform-server.ts';
import { runServerSuite, SERVER_RULES, ServerSuiteError } from '../../src/conform/server/suite.ts';
import { startHttpServer, SyncServer } from '../../src/server/index.ts';
import { serve, TOKENS, USERS, type RunningServer } from '../fixtures/servers/planted.ts';
import { startServe } from '../server/serve-child.ts';

const JUDGED_ONLY_IF_MET = ['limits/slow-request', 'limits/retry-after', 'limits/quota'];

let server: RunningServer;
beforeAll(async () => {
  server = await serve(new SyncServer({ users: USERS }));
});
afterAll(() => server.close());

describe('conform --server against syncsim serve', () => {
  it('holds every rule, and holds them again on the same (now non-empty) server', async () => {
    for (let run = 0; run < 2; run++) {
      const result = await runServerSuite({ url: server.url, tokens: TOKENS });
      const notHeld = result.rules.filter((r) => r.verdict !== 'held');
      expect(notHeld.map((r) => `${r.name}: ${r.verdict} ${r.message ?? ''}`)).toEqual(JUDGED_ONLY_IF_MET.map((name) => expect.stringContaining(`${name}: not applicable`)));
      expect(result.rules.map((r) => r.name)).toEqual(SERVER_RULES.map((r) => r.name));
      expect(result.ok).toBe(true);
    }
  });

  it('holds every rule against `syncsim serve` in its own process (the command CI runs)', async () => {
    const child = await startServe(USERS.map((u) => `--user=${u.name}:${u.token}`));
    try {
      const result = await runServerSuite({ url: child.base, tokens: TOKENS });
      expect(result.rules.filter((r) => r.verdict === 'violated').map((r) => `${r.name}: ${r.message ?? ''}`)).toEqual([]);
    } finally {
      await child.stop();
    }
  });

  it('has a rule for each part of SPEC §4 the brief lists, both dialects', () => {
    const groups = new Set(SERVER_RULES.map((r) => r.name.split('/')[0]));
    expect([...groups].sort()).toEqual(['auth', 'batch', 'conflict', 'cursor', 'design', 'errors', 'gzip', 'idempotency', 'isolation', 'limits', 'lww', 'pagination', 'status', 'tombstones']);
    expect(SERVER_RULES.filter((r) => r.dialect === 'design').length).toBeGreaterThanOrEqual(5);
    expect(new Set(SERVER_RULES.map((r) => r.name)).size).toBe(SERVER_RULES.length);
  });

  it('judges Retry-After on the 429s it meets, and retries past them', async () => {
    const limited = new SyncServer({ users: USERS });
    // Two requests a second: the suite's burst meets 429s however fast or slow the machine is.
    limited.setRateLimit({ capacity: 2, refillPerSecond: 2 });
    const running = await serve(limited);
    try {
      const result = await runServerSuite({ url: running.url, tokens: TOKENS, only: ['idempotency/client-id', 'limits/retry-after'] });
      expect(result.rules.map((r) => [r.name, r.verdict])).toEqual([['idempotency/client-id', 'held'], ['limits/retry-after', 'held']]);
    } finally {
      await running.close();
    }
  });

  it('judges a slow request when given the server\'s header timeout: held by serve, violated by a server that waits a minute', async () => {
    const quick = new SyncServer({ users: USERS });
    const running = await startHttpServer(quick, { port: 0, host: '127.0.0.1', now: () => Date.now(), headersTimeoutMs: 200 });
    const patient = createServer({ headersTimeout: 60_000, requestTimeout: 0 }, (req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"cursor":0}'));
    await new Promise<void>((resolve) => patient.listen(0, '127.0.0.1', resolve));
    try {
      const held = await runServerSuite({ url: `http://127.0.0.1:${running.port}`, tokens: TOKENS, only: ['limits/slow-request'], slowRequestMs: 200 });
      expect(held.rules[0]).toMatchObject({ verdict: 'held' });
      const { port } = patient.address() as AddressInfo;
      const waited = await runServerSuite({ url: `http://127.0.0.1:${port}`, tokens: TOKENS, only: ['limits/slow-request'], slowRequestMs: 100 });
      expect(waited.rules[0]).toMatchObject({ verdict: 'violated', message: expect.stringContaining('still waiting after 2100 ms') });
    } finally {
      await running.close();
      patient.closeAllConnections();
      await new Promise((resolve) => patient.close(resolve));
    }
  });

  it('is a library call too, writing the report files when given out', async () => {
    const result = await conformServer({ url: server.url, tokens: TOKENS, only: ['auth/missing-token'] });
    expect(result.ok).toBe(true);
    expect(result.files).toBeUndefined();
  });

  it('bounds a server that never answers: each request times out, the suite stops at its deadline', async () => {
    const hanging = createServer((req, res) => {
      // Only the preflight's status read is answered; every other request hangs.
      if (req.url === '/v1/sync/status') res.writeHead(200, { 'content-type': 'application/json' }).end('{"cursor":0}');
    });
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    const { port } = hanging.address() as AddressInfo;
    try {
      const result = await runServerSuite({ url: `http://127.0.0.1:${port}`, tokens: TOKENS, requestTimeoutMs: 100, deadlineMs: 1_000 });
      expect(result.ok).toBe(false);
      expect(result.rules).toHaveLength(SERVER_RULES.length);
      expect(result.rules[0]).toMatchObject({ name: 'auth/missing-token', verdict: 'violated', message: expect.stringContaining('no reply: no complete reply within 100 ms') });
      expect(result.rules[0]!.evidence?.request).toMatchObject({ method: 'POST', path: '/v1/tasks' });
      expect(result.rules.at(-1)?.message).toMatch(/not run: the suite's deadline of 1 s passed|no reply/);
    } finally {
      hanging.closeAllConnections();
      await new Promise((resolve) => hanging.close(resolve));
    }
  });

  it('refuses what it cannot judge: an unreachable server, a refused token, one user twice, a bad URL, an unknown rule', async () => {
    const closed = await serve(new SyncServer({ users: USERS }));
    await closed.close();
    await expect(runServerSuite({ url: closed.url, tokens: TOKENS })).rejects.toThrow(/cannot reach the server at .*connection refused/);
    await expect(runServerSuite({ url: server.url, tokens: [TOKENS[0], 'wrong'] })).rejects.toThrow(/refused token 2 \(401/);
    await expect(runServerSuite({ url: server.url, tokens: [TOKENS[0], TOKENS[0]] })).rejects.toThrow(ServerSuiteError);
    await expect(runServerSuite({ url: 'ftp://x', tokens: TOKENS })).rejects.toThrow(/http:\/\/ or https:\/\//);
    await expect(runServerSuite({ url: server.url, tokens: TOKENS, only: ['no/such-rule'] })).rejects.toThrow(/unknown rule no\/such-rule/);
  });
});
