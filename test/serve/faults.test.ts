import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { judgeRun } from '../../src/check/index.ts';
import { FAULT_PROFILES } from '../../src/server/faults/profiles.ts';
import { startLiveServer } from '../../src/serve/live-server.ts';
import { parseTrace, type AnyTraceEvent } from '../../src/trace/index.ts';
import { allTasks, auth } from './serve-process.ts';

/**
 * `serve --faults flaky --trace` over real HTTP on 127.0.0.1: a client that retries as an
 * offline-first engine does (same clientId) meets every fault kind; the trace records
 * each of them, and `check` judges the server-only trace.
 */
describe('serve --faults flaky --trace', () => {
  const dir = mkdtempSync(join(tmpdir(), 'syncsim-faults-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('injects every fault kind into real traffic and records it', async () => {
    const traceFile = join(dir, 'out.jsonl');
    const server = await startLiveServer({
      port: 0, host: '127.0.0.1', users: [{ name: 'demo', token: 'demo-token' }],
      faults: { profile: FAULT_PROFILES.flaky, seed: 7 }, traceFile, dataFile: join(dir, 'store.journal'),
    });
    const base = `http://127.0.0.1:${server.port}`;
    const statuses = new Map<number | string, number>();
    const TASKS = 240;
    let next = 0;
    const worker = async () => {
      while (next < TASKS) {
        const clientId = `c${next++}`;
        // Bounded retries, no backoff: the test need not wait out Retry-After.
        for (let attempt = 0; attempt < 20; attempt++) {
          const outcome = await fetch(`${base}/v1/tasks`, {
            method: 'POST', headers: auth('demo-token', { 'x-device-id': `phone-${clientId.length % 2}` }),
            body: JSON.stringify({ clientId, title: `task ${clientId}`, stamp: '0001' }),
          }).then(async (res) => (await res.arrayBuffer(), res.status), () => 'reset' as const);
          statuses.set(outcome, (statuses.get(outcome) ?? 0) + 1);
          if (outcome === 201 || outcome === 200) break;
        }
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    const tasks = await allTasks(base);
    await server.close();

    // The client saw the faults: 503s, 429s, resets, and 200 (a retry or duplicate finding its task).
    expect(statuses.get(503)).toBeGreaterThan(0);
    expect(statuses.get(429)).toBeGreaterThan(0);
    expect(statuses.get('reset')).toBeGreaterThan(0);
    // Every task exists once, whatever was lost or applied twice: the server's idempotency held.
    expect(tasks).toHaveLength(TASKS);
    expect(new Set(tasks.map((t) => t.clientId)).size).toBe(TASKS);

    const events = parseTrace(readFileSync(traceFile, 'utf8'));
    expect(events[0]).toMatchObject({ type: 'run.start', source: 'serve', devices: [], faults: 'flaky', seed: 7 });
    const faults = events.filter((e) => e.type === 'fault') as Array<AnyTraceEvent & { detail: { fault: string; msg: number } }>;
    const kinds = new Set(faults.map((f) => f.detail.fault));
    expect([...kinds].sort()).toEqual(['duplicate', 'latency', 'rateLimited', 'resetAfterApply', 'resetBeforeApply', 'unavailable']);
    const appliedMsgs = new Set(events.filter((e) => e.type === 'server.apply').map((e) => (e as { msg?: number }).msg));
    for (const fault of faults) {
      if (fault.detail.fault === 'resetBeforeApply' || fault.detail.fault === 'unavailable' || fault.detail.fault === 'rateLimited') {
        expect(appliedMsgs.has(fault.detail.msg), `${fault.detail.fault} applied nothing`).toBe(false);
      }
      if (fault.detail.fault === 'resetAfterApply' || fault.detail.fault === 'duplicate') {
        expect(appliedMsgs.has(fault.detail.msg), `${fault.detail.fault} applied`).toBe(true);
      }
    }
    expect(events.filter((e) => e.type === 'msg.drop' && e.reason === 'reset').length).toBeGreaterThanOrEqual(2);
    expect(events.some((e) => e.type === 'msg.dup')).toBe(true);
    expect(events.some((e) => e.type === 'msg.send' && e.from === 'phone-1')).toBe(true);
    expect(events.at(-1)).toMatchObject({ type: 'snapshot', node: 'server' });

    const verdict = judgeRun(events);
    expect(verdict.checks.map((c) => c.checker)).toEqual(['no-duplicates', 'no-resurrection']);
    expect(verdict.notJudged.map((n) => n.checker)).toEqual(expect.arrayContaining(['convergence', 'durability', 'read-your-writes', 'sync-latency']));
    expect(verdict.recorded.map((r) => [r.checker, r.ok])).toEqual([['server-errors', true], ['duplicate-delivery', true]]);
    expect(verdict.ok).toBe(true);
  }, 60_000);

  it('gives the same faults for the same seed and request sequence', async () => {
    const faultsOf = async (seed: number) => {
      const traceFile = join(dir, `seq-${seed}-${Math.random()}.jsonl`);
      // Latency off so the sequential run is quick; every other rate is flaky's.
      const profile = { ...FAULT_PROFILES.flaky, latency: { rate: 0, minMs: 0, maxMs: 0 } };
      const server = await startLiveServer({ port: 0, host: '127.0.0.1', users: [{ name: 'demo', token: 'demo-token' }], faults: { profile, seed }, traceFile });
      for (let i = 0; i < 120; i++) {
        await fetch(`http://127.0.0.1:${server.port}/v1/tasks`, { method: 'POST', headers: auth(), body: JSON.stringify({ clientId: `c${i}`, title: 't', stamp: '1' }) })
          .then((r) => r.arrayBuffer(), () => undefined);
      }
      await server.close();
      return parseTrace(readFileSync(traceFile, 'utf8')).filter((e) => e.type === 'fault').map((e) => JSON.stringify((e as { detail: unknown }).detail));
    };
    const first = await faultsOf(3);
    expect(first.length).toBeGreaterThan(0);
    expect(await faultsOf(3)).toEqual(first);
    expect(await faultsOf(4)).not.toEqual(first);
  }, 60_000);
});
