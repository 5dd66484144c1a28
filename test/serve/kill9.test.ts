import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import seedrandom from 'seedrandom';
import { afterAll, describe, expect, it } from 'vitest';
import { judgeRun } from '../../src/check/index.ts';
import { parseTrace } from '../../src/trace/index.ts';
import { allTasks, auth, startServe, type ServeProcess } from './serve-process.ts';

/**
 * `serve --data`: a write storm over real HTTP, the process killed with SIGKILL at seeded
 * random moments, restarted on the same file. Every acknowledged write (a 2xx received)
 * must be there after the restart, and every batch is all there or not at all.
 */
describe('serve --data survives kill -9 during a write storm', () => {
  const dir = mkdtempSync(join(tmpdir(), 'syncsim-kill9-'));
  const data = join(dir, 'store.journal');
  let serve: ServeProcess | undefined;
  afterAll(async () => {
    await serve?.kill9();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps every acknowledged write and applies no request by halves', async () => {
    const random = seedrandom.alea('kill9');
    /** clientId → title of every create acknowledged so far. */
    const acked = new Map<string, string>();
    /** Every batch sent (acknowledged or not): its clientIds. */
    const batches: string[][] = [];
    let sent = 0;
    const ROUNDS = 4;
    for (let round = 0; round < ROUNDS; round++) {
      const traceFile = join(dir, `round-${round}.jsonl`);
      serve = await startServe(['--data', data, '--trace', traceFile]);
      await verify(serve.base, acked, batches);
      const base = serve.base;
      let killed = false;
      let ackedThisRound = 0;
      const worker = async (w: number) => {
        // Bounded: a worker stops at the kill or after 400 requests.
        for (let i = 0; i < 400 && !killed; i++) {
          const id = `r${round}w${w}n${i}`;
          sent++;
          try {
            if (i % 3 === 2) {
              const ids = [0, 1, 2].map((k) => `${id}b${k}`);
              batches.push(ids);
              const operations = ids.map((clientId) => ({ type: 'create', clientId, title: `title ${clientId}`, stamp: '0001' }));
              const res = await fetch(`${base}/v1/sync/batch`, { method: 'POST', headers: auth(), body: JSON.stringify({ operations }) });
              if (res.ok) {
                const body = (await res.json()) as { results: Array<{ success: boolean }> };
                expect(body.results.every((r) => r.success)).toBe(true);
                for (const clientId of ids) acked.set(clientId, `title ${clientId}`);
                ackedThisRound++;
              }
            } else {
              const res = await fetch(`${base}/v1/tasks`, { method: 'POST', headers: auth(), body: JSON.stringify({ clientId: id, title: `title ${id}`, stamp: '0001' }) });
              if (res.ok) {
                await res.arrayBuffer();
                acked.set(id, `title ${id}`);
                ackedThisRound++;
              }
            }
          } catch {
            // The kill: this request's fate is unknown, and it was never acknowledged.
            return;
          }
        }
      };
      const storm = Promise.all(Array.from({ length: 8 }, (_, w) => worker(w)));
      await new Promise((resolve) => setTimeout(resolve, 150 + Math.floor(random() * 600)));
      // On a loaded machine, let a few writes through first (bounded: 10 s), so every round has acknowledged ones to check.
      for (let waited = 0; ackedThisRound < 5 && waited < 10_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
      killed = true;
      await serve.kill9();
      await storm;
      // The trace of a killed server is a readable prefix that check judges.
      const verdict = judgeRun(parseTrace(readFileSync(traceFile, 'utf8')));
      expect(verdict.ok, JSON.stringify(verdict.recorded)).toBe(true);
    }
    serve = await startServe(['--data', data]);
    const found = await verify(serve.base, acked, batches);
    // The storm did write something in each round, and more was sent than acknowledged proves nothing: only what is checked.
    expect(acked.size).toBeGreaterThanOrEqual(ROUNDS * 5);
    expect(found).toBeGreaterThanOrEqual(acked.size);
    expect(sent).toBeGreaterThan(0);
    if (process.env.SERVE_FIGURES) console.log(`kill9: ${sent} requests sent, ${acked.size} creates acknowledged, ${found} tasks found after ${ROUNDS} kills`);
  }, 120_000);
});

async function verify(base: string, acked: Map<string, string>, batches: string[][]): Promise<number> {
  const tasks = await allTasks(base);
  const byClientId = new Map(tasks.map((t) => [t.clientId, t]));
  expect(byClientId.size).toBe(tasks.length);
  for (const [clientId, title] of acked) {
    expect(byClientId.get(clientId)?.title, `acknowledged create ${clientId}`).toBe(title);
  }
  for (const ids of batches) {
    const present = ids.filter((id) => byClientId.has(id)).length;
    expect(present === 0 || present === ids.length, `batch ${ids.join(',')} half applied (${present} of ${ids.length})`).toBe(true);
  }
  return tasks.length;
}
