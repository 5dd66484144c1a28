import { describe, expect, it } from 'vitest';
import { World } from '../../src/world/index.ts';
import { echoHandler } from '../support/echo-handler.ts';
import { pingApp, type PingApp } from '../support/ping-app.ts';

function world(seed = 1) {
  return new World<PingApp>({
    seed,
    devices: [{ id: 'phone' }],
    network: { latency: { min: 10, max: 10 } },
    handler: echoHandler(),
    app: pingApp({ timeoutMs: 500 }),
  });
}

describe('crash and restart', () => {
  it('keeps committed writes and resumes from them in a new incarnation', async () => {
    const w = world();
    const phone = w.device('phone');
    w.at(1, () => void phone.app.bump());
    w.at(2, () => void phone.app.bump());
    w.at(100, () => w.crash('phone'));
    w.at(200, () => w.restart('phone'));
    await w.runUntilQuiescent();
    expect(phone.incarnation).toBe(2);
    expect(phone.app.startedWith).toBe(2);
  });

  it('rolls back a transaction whose write ran but had not committed when the process died', async () => {
    const w = world();
    const phone = w.device('phone');
    let outcome = 'pending';
    let seenBeforeCrash: unknown;
    w.at(1, () => {
      phone.app.bump().then(() => (outcome = 'committed'), () => (outcome = 'failed'));
      // Die once the put has been applied inside the open transaction, before it commits.
      const raw = (phone.storage.factory as unknown as { _databases: Map<string, { rawObjectStores: Map<string, { records: { size?: number; records?: unknown[] } }> }> })._databases;
      const watch = () => {
        const records = raw.get('app')?.rawObjectStores.get('kv')?.records as unknown as { get(key: unknown): unknown } | undefined;
        const value = records && 'get' in records ? records.get('counter') : undefined;
        if (value !== undefined) {
          seenBeforeCrash = value;
          w.crash('phone');
        } else w.kernel.schedule(0, watch);
      };
      w.kernel.schedule(0, watch);
    });
    w.at(50, () => w.restart('phone'));
    await w.runUntilQuiescent();
    expect(seenBeforeCrash).toBeDefined(); // the write was applied in the open transaction
    expect(outcome).toBe('pending'); // the old incarnation never hears back
    expect(phone.app.startedWith).toBe(0); // and the disk kept nothing of it
  });

  it('never lets the old incarnation act again: no timers, no replies, no trace', async () => {
    const w = world();
    const phone = w.device('phone');
    let old: PingApp | undefined;
    let lateTimer = false;
    w.at(1, () => {
      old = phone.app;
      old.ports.timers.setTimeout(() => (lateTimer = true), 100);
      void old.ping(); // its reply would arrive at t=21
    });
    w.at(15, () => w.crash('phone'));
    w.at(16, () => w.restart('phone'));
    w.at(17, () => void old!.ping()); // a leaked reference cannot send either
    await w.runUntilQuiescent();
    expect(lateTimer).toBe(false);
    expect(old!.answered).toEqual([]);
    const events = w.trace.events;
    expect(events.filter((e) => e.type === 'app.pong' || e.type === 'app.ping-failed')).toEqual([]);
    const drop = events.find((e) => e.type === 'msg.drop');
    expect(drop).toMatchObject({ reason: 'crashed', to: 'phone' });
    expect(events.filter((e) => e.type === 'msg.send')).toHaveLength(2); // the request and its reply only
  });

  it('runs many crash points through a write without half-applied state', async () => {
    // Crash after k kernel events of a bump, for every k: the counter is 0 until the commit
    // and 1 after it, never anything else, and the crash points span the commit.
    const outcomes: Array<number | null> = [];
    for (let k = 0; k < 12; k++) {
      const w = world(k);
      const phone = w.device('phone');
      w.at(1, () => {
        void phone.app.bump().catch(() => undefined);
        let left = k;
        const tick = () => (left-- === 0 ? w.crash('phone') : w.kernel.schedule(0, tick));
        w.kernel.schedule(0, tick);
      });
      w.at(100, () => w.restart('phone'));
      await w.runUntilQuiescent();
      outcomes.push(phone.app.startedWith);
    }
    const firstCommitted = outcomes.indexOf(1);
    expect(firstCommitted).toBeGreaterThan(1);
    expect(outcomes).toEqual(outcomes.map((_, i) => (i < firstCommitted ? 0 : 1)));
  });
});

describe('storage faults', () => {
  it('fails the next N read-write transactions with nothing applied', async () => {
    const w = world();
    const phone = w.device('phone');
    const results: string[] = [];
    w.at(1, () => {
      phone.storage.failWrites = 2;
      const record = (p: Promise<number>) => p.then((v) => results.push(`ok ${v}`), (e: Error) => results.push(`failed ${e.name}`));
      void record(phone.app.bump()).then(() => record(phone.app.bump())).then(() => record(phone.app.bump()));
    });
    await w.runUntilQuiescent();
    expect(results).toEqual(['failed QuotaExceededError', 'failed QuotaExceededError', 'ok 1']);
    expect(phone.storage.failedWrites).toBe(2);
    // Each failure that happened is in the trace, with how many are left.
    const failures = w.trace.events.filter((e) => e.type === 'fault' && e.kind === 'storage-failure');
    expect(failures.map((e) => (e as { detail: unknown }).detail)).toEqual([{ device: 'phone', left: 1 }, { device: 'phone', left: 0 }]);
  });
});
