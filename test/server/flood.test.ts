import { Agent, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../src/server/body.ts';
import { startServe, type ServeChild } from './serve-child.ts';

/**
 * The adversarial probe of issue 14, bounded: one user posts 5,000 requests with 1 MiB
 * titles against `syncsim serve` in a child process. Every one must be refused with a
 * 4xx, another user's data must stay as it was, and the child's peak RSS under 1 GB.
 */
const FLOOD_REQUESTS = 5_000;
const CONCURRENCY = 8;
const GIB = 1024 * 1024 * 1024;

let serve: ServeChild;
const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });

beforeAll(async () => {
  serve = await startServe(['--user', 'alice:tok-a', '--user', 'mallory:tok-m', '--max-bytes', '4000000', '--max-reply-bytes', '200000']);
}, 20_000);

afterAll(async () => {
  agent.destroy();
  await serve?.stop();
});

function call(method: string, path: string, token: string, body?: Buffer): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    if (body !== undefined) headers['content-length'] = body.length;
    const req = request({ host: '127.0.0.1', port: serve.port, path, method, agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const json = (value: unknown) => Buffer.from(JSON.stringify(value));

/** Runs `count` jobs with at most CONCURRENCY in flight. */
async function pool(count: number, job: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await job(next++);
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

describe('syncsim serve under a flood of huge titles from one user', () => {
  it('refuses every one with a 4xx, keeps the other user intact, and stays under 1 GB', async () => {
    for (let i = 0; i < 20; i++) {
      expect((await call('POST', '/v1/tasks', 'tok-a', json({ clientId: `a${i}`, title: `alice ${i}`, isCompleted: i % 2 === 0 }))).status).toBe(201);
    }
    const before = JSON.parse((await call('GET', '/v1/tasks?since=0&limit=1000', 'tok-a')).text).data;

    // A title of exactly 1 MiB (the body is over the cap: 413) and one just under the
    // cap (the body is parsed, the title refused: 400), as a create and as a batch.
    const mib = 'x'.repeat(1024 * 1024);
    const underCap = 'y'.repeat(MAX_BODY_BYTES - 200);
    const bodies = [
      { path: '/v1/tasks', body: json({ clientId: 'm', title: mib, isCompleted: false }) },
      { path: '/v1/tasks', body: json({ clientId: 'm', title: underCap, isCompleted: false }) },
      { path: '/v1/sync/batch', body: json({ operations: [{ type: 'create', clientId: 'm', data: { title: underCap } }] }) },
    ];
    const statuses = new Map<number, number>();
    const started = Date.now();
    await pool(FLOOD_REQUESTS, async (i) => {
      const { path, body } = bodies[i % bodies.length]!;
      const { status, text } = await call('POST', path, 'tok-m', body);
      // A batch answers 200 with the operation's own 4xx result.
      const effective = path === '/v1/sync/batch' && status === 200 ? (JSON.parse(text).results[0].status as number) : status;
      statuses.set(effective, (statuses.get(effective) ?? 0) + 1);
    });
    const seconds = (Date.now() - started) / 1000;

    expect([...statuses.keys()].every((status) => status >= 400 && status < 500)).toBe(true);
    expect([...statuses.values()].reduce((a, b) => a + b, 0)).toBe(FLOOD_REQUESTS);
    const after = JSON.parse((await call('GET', '/v1/tasks?since=0&limit=1000', 'tok-a')).text).data;
    expect(after.tasks).toEqual(before.tasks);
    expect(after.nextCursor).toBe(before.nextCursor);
    const peak = serve.peakRss();
    console.log(`flood: ${FLOOD_REQUESTS} requests in ${seconds.toFixed(1)} s, statuses ${JSON.stringify(Object.fromEntries(statuses))}, child VmHWM ${(peak / 1024 / 1024).toFixed(0)} MiB`);
    expect(peak).toBeLessThan(GIB);
  }, 90_000);

  it('holds a user to the byte budget and keeps every pull under the reply budget', async () => {
    const title = 'z'.repeat(10_000);
    let created = 0;
    let refused: { status: number; text: string } | undefined;
    for (let i = 0; i < 400 && refused === undefined; i++) {
      const reply = await call('POST', '/v1/tasks', 'tok-m', json({ clientId: `big${i}`, title, isCompleted: false }));
      if (reply.status === 201) created++;
      else refused = reply;
    }
    expect(refused?.status).toBe(403);
    expect(JSON.parse(refused?.text ?? '{}').error).toMatchObject({ code: 'QUOTA_EXCEEDED', unit: 'bytes', limit: 4_000_000 });
    let since = 0;
    let pulled = 0;
    for (let page = 0; page < 100; page++) {
      const reply = await call('GET', `/v1/tasks?since=${since}&limit=1000`, 'tok-m');
      expect(reply.status).toBe(200);
      expect(Buffer.byteLength(reply.text)).toBeLessThanOrEqual(200_000);
      const data = JSON.parse(reply.text).data;
      pulled += data.tasks.length;
      since = data.nextCursor;
      if (!data.hasMore) break;
    }
    expect(pulled).toBe(created);
    expect(serve.peakRss()).toBeLessThan(GIB);
  }, 60_000);
});
