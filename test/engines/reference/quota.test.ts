import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { referenceEngine } from '../../../src/engines/reference/index.ts';
import { refusalKind } from '../../../src/engines/reference/reconcile.ts';
import { parseScenario } from '../../../src/scenario/index.ts';
import { runScenario } from '../../../src/world/run-scenario.ts';
import { inSimulation } from '../../../src/world/settle.ts';
import { eventsOf, idOf, label, live, serverLive, settle, step, world, type RefWorld } from './support.ts';

/** The server's verdicts on one write, in order ('applied', 'rejected', ...). */
const verdicts = (w: RefWorld, write: string) => eventsOf(w, 'server.apply').filter((a) => a['write'] === write).map((a) => a['result']);

/** Batches the device sent to the server. */
const batchesFrom = (w: RefWorld, device: string) =>
  eventsOf(w, 'msg.send').filter((m) => m['from'] === device && m['to'] === 'server' && m['path'] === '/v1/sync/batch').length;

/** A phone at quota 1 holding "first" (synced) and "second" (refused), run well past the refusal. */
async function overQuota(): Promise<{ w: RefWorld; refused: { write: string } }> {
  const w = world(['phone', 'ipad']);
  const phone = w.device('phone');
  w.at(1, () => w.serverQuota(1));
  step(w, 10, () => phone.app.create({ title: 'first' }, label(w, 'phone', 't1')));
  const refused = label(w, 'phone', 't2');
  step(w, 2_000, () => phone.app.create({ title: 'second' }, refused));
  // Two minutes of polls and pull-to-refresh: none of them may send the refused create.
  for (let t = 10_000; t <= 120_000; t += 10_000) w.at(t, () => phone.app.sync());
  await w.run(120_000);
  return { w, refused };
}

describe('a create the server refuses for good (403 QUOTA_EXCEEDED)', () => {
  it('is parked: sent once, kept visible as failed with its error, not pending', async () => {
    const { w, refused } = await overQuota();
    const phone = w.device('phone').app;
    expect(verdicts(w, refused.write)).toEqual(['rejected']);
    const rows = await phone.tasks();
    expect(rows.find((t) => t.title === 'second')).toMatchObject({ syncStatus: 'failed', error: 'QUOTA_EXCEEDED', deleted: false });
    expect(rows.find((t) => t.title === 'first')!.syncStatus).toBe('synced');
    expect(await phone.queue()).toEqual([]);
    expect(serverLive(w)).toEqual(['first']);
    expect(await live(w.device('ipad').app)).toEqual(['first']);
  });

  it('stays parked across a restart', async () => {
    const { w, refused } = await overQuota();
    w.at(121_000, () => w.crash('phone'));
    w.at(122_000, () => w.restart('phone'));
    await w.run(180_000);
    expect(verdicts(w, refused.write)).toEqual(['rejected']);
    expect(await w.device('phone').app.queue()).toEqual([]);
    expect((await w.device('phone').app.tasks()).find((t) => t.title === 'second')).toMatchObject({ syncStatus: 'failed', error: 'QUOTA_EXCEEDED' });
  });

  it('is not sent when the quota frees up by itself; the user editing it sends it again', async () => {
    const { w, refused } = await overQuota();
    const phone = w.device('phone').app;
    w.at(121_000, () => w.serverQuota(null));
    await settle(w, 122_000);
    expect(verdicts(w, refused.write)).toEqual(['rejected']);
    const id = await idOf(phone, 'second');
    const edit = label(w, 'phone', 't2');
    step(w, 200_000, () => phone.update(id, { title: 'second, again' }, edit));
    await settle(w, 201_000);
    // The edit folded into the parked create: one create carrying the new value.
    expect(verdicts(w, edit.write)).toEqual(['applied']);
    expect(serverLive(w)).toEqual(['first', 'second, again']);
    expect((await phone.tasks()).find((t) => t.id === id)).toMatchObject({ syncStatus: 'synced' });
    expect(await live(w.device('ipad').app)).toEqual(['first', 'second, again']);
  });

  it('an edit still over the quota is tried once more and parked again', async () => {
    const { w } = await overQuota();
    const phone = w.device('phone').app;
    const id = await idOf(phone, 'second');
    const edit = label(w, 'phone', 't2');
    step(w, 121_000, () => phone.update(id, { completed: true }, edit));
    await settle(w, 122_000);
    expect(verdicts(w, edit.write)).toEqual(['rejected']);
    expect((await phone.tasks()).find((t) => t.id === id)).toMatchObject({ syncStatus: 'failed', error: 'QUOTA_EXCEEDED', completed: true });
    expect(await phone.queue()).toEqual([]);
  });

  it('deleting it removes it locally with nothing to send', async () => {
    const { w } = await overQuota();
    const phone = w.device('phone').app;
    const id = await idOf(phone, 'second');
    const before = batchesFrom(w, 'phone');
    step(w, 121_000, () => phone.delete(id, label(w, 'phone', 't2')));
    await settle(w, 122_000);
    expect(batchesFrom(w, 'phone')).toBe(before);
    expect((await phone.tasks()).find((t) => t.id === id)).toMatchObject({ deleted: true, syncStatus: 'synced' });
    expect(await live(phone)).toEqual(['first']);
    expect(await phone.queue()).toEqual([]);
  });

  it('deleted while its create was out: the refusal leaves nothing to send', async () => {
    const w = world(['phone'], { network: { latency: { min: 200, max: 200 } } });
    const phone = () => w.device('phone').app;
    w.at(1, () => w.serverQuota(0));
    const created = step(w, 10, () => phone().create({ title: 'doomed' }, label(w, 'phone', 't1')));
    // The debounced batch leaves at ~310 ms and its reply lands at ~710 ms.
    step(w, 500, () => phone().delete(created.result!, label(w, 'phone', 't1')));
    await settle(w, 2_000);
    expect(eventsOf(w, 'server.apply').map((a) => a['result'])).toEqual(['rejected']);
    expect(await phone().tasks()).toMatchObject([{ deleted: true, syncStatus: 'synced' }]);
    expect(await phone().queue()).toEqual([]);
  });

  it('edited while its create was out: the refused create goes again with the edit, once', async () => {
    const w = world(['phone'], { network: { latency: { min: 200, max: 200 } } });
    const phone = () => w.device('phone').app;
    w.at(1, () => w.serverQuota(0));
    const created = step(w, 10, () => phone().create({ title: 'draft' }, label(w, 'phone', 't1')));
    const edit = label(w, 'phone', 't1');
    step(w, 500, () => phone().update(created.result!, { title: 'draft 2' }, edit));
    await settle(w, 2_000);
    expect(eventsOf(w, 'server.apply').map((a) => [a['write'], a['result']])).toEqual([
      [expect.any(String), 'rejected'],
      [edit.write, 'rejected'],
    ]);
    expect(await phone().tasks()).toMatchObject([{ title: 'draft 2', syncStatus: 'failed', error: 'QUOTA_EXCEEDED' }]);
    expect(await phone().queue()).toEqual([]);
  });
});

describe('the quota-exceeded scenario (no cleanup delete)', () => {
  const yaml = readFileSync(new URL('../../../scenarios/quota-exceeded.yaml', import.meta.url), 'utf8');

  it('settles, with the refused create sent once (it was sent ~311 times before parking)', async () => {
    const outcome = await runScenario(parseScenario(yaml, 'quota-exceeded.yaml'), { seed: 1, engine: referenceEngine });
    expect(outcome.settled).toBe(true);
    const events = outcome.world.trace.events as unknown as Array<Record<string, unknown>>;
    const rejected = events.filter((e) => e['type'] === 'server.apply' && e['result'] === 'rejected');
    expect(rejected.map((e) => e['task'])).toEqual(['q4']);
    const posts = events.filter((e) => e['type'] === 'msg.send' && e['from'] === 'phone' && e['method'] === 'POST');
    expect(posts.length).toBeLessThanOrEqual(2); // q1–q3 in one batch, q4 in another
    const snapshot = (node: string) => events.find((e) => e['type'] === 'snapshot' && e['node'] === node) as { tasks: Array<{ task: string; deleted: boolean }>; queue: unknown[] };
    expect(snapshot('phone').tasks.filter((t) => t.task === 'q4' && !t.deleted)).toHaveLength(1);
    expect(snapshot('phone').queue).toEqual([]);
    expect(snapshot('server').tasks.some((t) => t.task === 'q4')).toBe(false);
    expect(snapshot('ipad').tasks.some((t) => t.task === 'q4')).toBe(false);
    const phone = outcome.world.device('phone').app;
    const rows = await inSimulation(outcome.world, () => phone.tasks());
    expect(rows.find((t) => t.title === 'Four')).toMatchObject({ syncStatus: 'failed', error: 'QUOTA_EXCEEDED', deleted: false });
  });
});

describe('which error replies are permanent', () => {
  it('parks 4xx refusals, drops a 404, retries 401/408/429/5xx', () => {
    for (const status of [400, 403, 409, 413, 422]) expect(refusalKind(status), String(status)).toBe('refused');
    expect(refusalKind(404)).toBe('gone');
    for (const status of [401, 408, 429, 500, 503]) expect(refusalKind(status), String(status)).toBe('transient');
  });
});
