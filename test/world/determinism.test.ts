import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runPingWorld } from '../support/ping-world.ts';

const run = promisify(execFile);
const tsx = createRequire(import.meta.url).resolve('tsx/cli');

async function traceInChildProcess(seed: number): Promise<{ hash: string; events: number }> {
  const { stdout } = await run(process.execPath, [tsx, 'test/support/ping-world.ts', String(seed)]);
  return JSON.parse(stdout) as { hash: string; events: number };
}

describe('determinism', () => {
  it('gives byte-identical traces for the same seed in two processes', async () => {
    const [first, second] = await Promise.all([traceInChildProcess(42), traceInChildProcess(42)]);
    expect(first.events).toBeGreaterThan(500);
    expect(second).toEqual(first);
    // ... and in this process too, the same bytes.
    const here = await runPingWorld(42);
    here.trace.end(true, []);
    expect(here.trace.digest()).toBe(first.hash);
  });

  it('gives a different trace for a different seed', async () => {
    const a = await runPingWorld(1); // runs share the thread's globals: one at a time
    const b = await runPingWorld(2);
    expect(a.trace.toJSONL()).not.toBe(b.trace.toJSONL());
  });

  it('exercises every fault kind in that run', async () => {
    const w = await runPingWorld(42);
    const reasons = new Set(w.trace.events.filter((e) => e.type === 'msg.drop').map((e) => (e as { reason: string }).reason));
    for (const reason of ['random', 'partition', 'offline', 'rule', 'crashed', 'restarted']) expect(reasons).toContain(reason);
    expect(w.trace.events.some((e) => e.type === 'msg.dup')).toBe(true);
    expect(w.trace.events.some((e) => e.type === 'app.pong')).toBe(true);
  });
});
