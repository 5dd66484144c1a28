import { describe, expect, it } from 'vitest';
import { LocalWriteError } from '../../../src/engines/engine.ts';
import { eventsOf, expectConverged, idOf, label, live, serverLive, settle, step, world } from './support.ts';

describe('the reference engine in the simulator', () => {
  it('creates offline at once and syncs when back online: one task on the server', async () => {
    const w = world(['phone', 'ipad']);
    const phone = w.device('phone');
    w.at(10, () => w.setOffline('phone', true));
    const created = step(w, 20, () => phone.app.create({ title: 'Buy milk' }, label(w, 'phone', 't1')));
    let seenOffline: string[] = [];
    step(w, 21, async () => (seenOffline = await live(phone.app)));
    w.at(5_000, () => w.setOffline('phone', false));
    await w.run(5_000);
    expect(typeof created.result).toBe('string');
    expect(seenOffline).toEqual(['Buy milk']);
    expect(w.syncServer!.tasks('demo')).toHaveLength(0);
    await settle(w, 6_000);
    expect(serverLive(w)).toEqual(['Buy milk']);
    await expectConverged(w, expect);
    const rows = await phone.app.tasks();
    expect(rows[0]).toMatchObject({ syncStatus: 'synced', clientId: created.result });
    expect(rows[0]!.serverId).not.toBeNull();
    expect(await phone.app.queue()).toEqual([]);
  });

  it('resolves a multi-device conflict by HLC: the causally later edit wins on a device 90 s behind', async () => {
    const w = world(['phone', { id: 'ipad', skew: -90_000 }]);
    const phone = () => w.device('phone').app;
    const ipad = () => w.device('ipad').app;
    step(w, 10, () => w.device('phone').app.create({ title: 'draft' }, label(w, 'phone', 't1')));
    step(w, 1_000, async () => phone().update(await idOf(phone(), 'draft'), { title: 'phone edit' }, label(w, 'phone', 't1')));
    // The ipad has pulled the phone's edit by now; its own later edit has a far lower wall clock.
    step(w, 10_000, async () => ipad().update(await idOf(ipad(), 'phone edit'), { title: 'ipad edit', completed: true }, label(w, 'ipad', 't1')));
    await settle(w, 12_000);
    expect(serverLive(w)).toEqual(['ipad edit ✓']);
    await expectConverged(w, expect);
    const ops = eventsOf(w, 'op');
    const ipadOp = ops.find((o) => o['device'] === 'ipad')!;
    const phoneOp = ops.find((o) => o['kind'] === 'update' && o['device'] === 'phone')!;
    expect(String(ipadOp['stamp']) > String(phoneOp['stamp'])).toBe(true);
    expect(ipadOp['basis']).toBe(phoneOp['write']);
  });

  it('survives a crash while a batch is in flight: no duplicate, nothing lost', async () => {
    const w = world(['phone', 'ipad'], { network: { latency: { min: 200, max: 200 } } });
    const phone = w.device('phone');
    for (let i = 0; i < 5; i++) step(w, 10 + i, () => phone.app.create({ title: `task ${i}` }, label(w, 'phone', `t${i}`)));
    // The debounced sync sends the batch at ~315 + 400 (pull round trip); crash while it travels.
    w.at(800, () => w.crash('phone'));
    w.at(3_000, () => w.restart('phone'));
    await settle(w, 4_000);
    const sends = eventsOf(w, 'msg.send').filter((m) => m['path'] === '/v1/sync/batch' && m['from'] === 'phone');
    expect(sends.length).toBeGreaterThanOrEqual(2);
    expect(w.syncServer!.tasks('demo')).toHaveLength(5);
    expect(serverLive(w)).toEqual(['task 0', 'task 1', 'task 2', 'task 3', 'task 4']);
    await expectConverged(w, expect);
    expect(await phone.app.queue()).toEqual([]);
  });

  it('retries after a lost batch reply without duplicating', async () => {
    const w = world(['phone']);
    const phone = w.device('phone');
    w.at(5, () => w.addDropRule({ from: 'server', to: 'phone', match: 'POST /v1/sync/batch', count: 1 }));
    step(w, 10, () => phone.app.create({ title: 'once' }, label(w, 'phone', 't1')));
    await settle(w, 1_000);
    expect(w.syncServer!.tasks('demo')).toHaveLength(1);
    const applies = eventsOf(w, 'server.apply');
    expect(applies.map((a) => a['result'])).toEqual(['applied', 'duplicate']);
    expect(await live(phone.app)).toEqual(['once']);
    expect((await phone.app.tasks())[0]!.syncStatus).toBe('synced');
  });

  it('converges three offline editors of one task to the greatest stamp', async () => {
    const w = world(['phone', 'ipad', 'mac']);
    const devices = ['phone', 'ipad', 'mac'] as const;
    step(w, 10, () => w.device('phone').app.create({ title: 'shared' }, label(w, 'phone', 't1')));
    w.at(8_000, () => devices.forEach((d) => w.setOffline(d, true)));
    devices.forEach((d, i) => {
      const app = () => w.device(d).app;
      step(w, 9_000 + i * 100, async () => app().update(await idOf(app(), 'shared'), { title: `${d} edit` }, label(w, d, 't1')));
    });
    w.at(20_000, () => devices.forEach((d) => w.setOffline(d, false)));
    await settle(w, 21_000);
    const ops = eventsOf(w, 'op').filter((o) => o['kind'] === 'update');
    const greatest = ops.reduce((a, b) => (String(a['stamp']) > String(b['stamp']) ? a : b));
    expect(serverLive(w)).toEqual([(greatest['value'] as { title: string }).title]);
    expect(serverLive(w)).toEqual(['mac edit']);
    await expectConverged(w, expect);
  });

  it('lets a delete win over a concurrent later update everywhere', async () => {
    const w = world(['phone', 'ipad']);
    step(w, 10, () => w.device('phone').app.create({ title: 'doomed' }, label(w, 'phone', 't1')));
    w.at(8_000, () => ['phone', 'ipad'].forEach((d) => w.setOffline(d, true)));
    step(w, 9_000, async () => w.device('phone').app.delete(await idOf(w.device('phone').app, 'doomed'), label(w, 'phone', 't1')));
    step(w, 9_500, async () => w.device('ipad').app.update(await idOf(w.device('ipad').app, 'doomed'), { title: 'saved?' }, label(w, 'ipad', 't1')));
    w.at(12_000, () => w.setOffline('ipad', false));
    w.at(15_000, () => w.setOffline('phone', false));
    await settle(w, 16_000);
    expect(serverLive(w)).toEqual([]);
    expect(w.syncServer!.tasks('demo')).toMatchObject([{ deleted: true }]);
    await expectConverged(w, expect);
    for (const d of ['phone', 'ipad']) expect((await w.device(d).app.tasks()).map((t) => t.deleted)).toEqual([true]);
  });

  it('rejects a write whose transaction fails, leaving nothing changed or queued', async () => {
    const w = world(['phone']);
    const phone = w.device('phone');
    w.at(5, () => w.setOffline('phone', true));
    w.at(10, () => (phone.storage.failWrites = 1));
    const failed = step(w, 20, () => phone.app.create({ title: 'lost' }, label(w, 'phone', 't1')));
    const ok = step(w, 100, () => phone.app.create({ title: 'kept' }, label(w, 'phone', 't2')));
    await w.run(1_000);
    expect(failed.error).toBeInstanceOf(LocalWriteError);
    expect(ok.result).toBeDefined();
    expect(await live(phone.app)).toEqual(['kept']);
    expect((await phone.app.queue()).map((q) => q.write)).toEqual([ok.result === undefined ? null : 'phone#' + String(eventsOf(w, 'op')[0]!['write']).split('#')[1]]);
    expect(eventsOf(w, 'op').map((o) => (o['value'] as { title: string }).title)).toEqual(['kept']);
    w.at(1_100, () => w.setOffline('phone', false));
    await settle(w, 1_200);
    expect(serverLive(w)).toEqual(['kept']);
  });

  it('waits out a 503 as Retry-After says, then syncs', async () => {
    const w = world(['phone']);
    const phone = w.device('phone');
    w.at(5, () => w.serverUnavailable(20_000));
    step(w, 10, () => phone.app.create({ title: 'patient' }, label(w, 'phone', 't1')));
    await w.run(15_000);
    expect((await phone.app.tasks())[0]!.syncStatus).toBe('failed');
    expect(w.syncServer!.tasks('demo')).toHaveLength(0);
    await w.runUntilQuiescent(120_000);
    expect(serverLive(w)).toEqual(['patient']);
    const batches = eventsOf(w, 'msg.send').filter((m) => m['from'] === 'phone' && m['to'] === 'server');
    // Few requests while unavailable: each retry waited for Retry-After.
    expect(batches.length).toBeLessThan(8);
    expect((await phone.app.tasks())[0]!.syncStatus).toBe('synced');
  });

  it('surfaces a quota refusal per task and does not retry it in a loop', async () => {
    const w = world(['phone']);
    const phone = w.device('phone');
    w.at(1, () => w.serverQuota(1));
    step(w, 10, () => phone.app.create({ title: 'first' }, label(w, 'phone', 't1')));
    step(w, 2_000, () => phone.app.create({ title: 'second' }, label(w, 'phone', 't2')));
    await w.run(3_000);
    await w.runUntilQuiescent(60_000);
    const rows = await phone.app.tasks();
    const second = rows.find((t) => t.title === 'second')!;
    expect(second).toMatchObject({ syncStatus: 'failed', error: 'QUOTA_EXCEEDED' });
    expect(rows.find((t) => t.title === 'first')!.syncStatus).toBe('synced');
    expect(serverLive(w)).toEqual(['first']);
    // Parked: not pending, and refused exactly once (see quota.test.ts).
    expect(await phone.app.queue()).toHaveLength(0);
    const rejected = eventsOf(w, 'server.apply').filter((a) => a['result'] === 'rejected');
    expect(rejected).toHaveLength(1);
    // Once the quota allows it, the user's next edit of the task sends it.
    w.at(w.kernel.now + 1, () => w.serverQuota(null));
    step(w, w.kernel.now + 2, () => phone.app.update(second.id, { completed: true }, label(w, 'phone', 't2')));
    await settle(w, w.kernel.now + 3);
    expect(serverLive(w)).toEqual(['first', 'second ✓']);
  });

  it('syncs a background app only inside a refresh window', async () => {
    const w = world(['phone', 'ipad']);
    step(w, 10, () => w.device('phone').app.create({ title: 'one' }, label(w, 'phone', 't1')));
    w.at(100, () => w.background('ipad'));
    await w.run(20_000);
    expect(serverLive(w)).toEqual(['one']);
    expect(await live(w.device('ipad').app)).toEqual([]);
    const ipadSendsBefore = eventsOf(w, 'msg.send').filter((m) => m['from'] === 'ipad').length;
    w.at(30_000, () => w.grantRefresh('ipad', 5_000));
    await w.run(40_000);
    expect(eventsOf(w, 'msg.send').filter((m) => m['from'] === 'ipad').length).toBeGreaterThan(ipadSendsBefore);
    expect(await live(w.device('ipad').app)).toEqual(['one']);
  });

  it('resumes the queue after a restart with the same idempotency keys', async () => {
    const w = world(['phone']);
    const phone = w.device('phone');
    w.at(5, () => w.addDropRule({ from: 'server', to: 'phone', match: 'POST /v1/sync/batch', count: 1 }));
    step(w, 10, () => phone.app.create({ title: 'durable' }, label(w, 'phone', 't1')));
    w.at(2_000, () => w.crash('phone'));
    w.at(3_000, () => w.restart('phone'));
    await settle(w, 4_000);
    expect(eventsOf(w, 'server.apply').map((a) => a['result'])).toEqual(['applied', 'duplicate']);
    expect(await live(phone.app)).toEqual(['durable']);
  });
});
