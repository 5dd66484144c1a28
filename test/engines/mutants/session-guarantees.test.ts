import { describe, expect, it } from 'vitest';
import type { EngineDescriptor } from '../../../src/engines/engine.ts';
import { findEngine } from '../../../src/engines/registry.ts';
import { referenceEngine } from '../../../src/engines/reference/index.ts';
import { loadScenario } from '../../../src/scenario/index.ts';
import { World } from '../../../src/world/index.ts';
import { runScenario } from '../../../src/world/run-scenario.ts';
import { eventsOf, idOf, label, live, settle, step, type RefApp, type RefWorld } from '../reference/support.ts';

/**
 * The mutants that break a session guarantee (read-your-writes, monotonic-reads), driven
 * through small worlds with the list read directly. Their checkers are being written; until
 * then these tests hold each stale read, and hold that reference never shows it.
 */

const rywMutant = findEngine('mutant:save-skips-refresh')!;
const monotonicMutant = findEngine('mutant:stale-read-replica')!;

function worldOf(engine: EngineDescriptor, devices: string[]): RefWorld {
  return new World<RefApp>({
    seed: 7,
    engine: engine.name,
    devices: devices.map((id) => ({ id })),
    network: { latency: { min: 20, max: 80 } },
    app: engine.create as (ports: Parameters<typeof engine.create>[0]) => RefApp,
  });
}

/** What the phone's list shows right after each of its writes returns, and once synced. */
async function readsAfterOwnWrites(engine: EngineDescriptor) {
  const w = worldOf(engine, ['phone']);
  const phone = () => w.device('phone').app;
  const seen: Record<string, string[]> = {};
  step(w, 5, async () => (seen['before'] = await live(phone())));
  step(w, 10, async () => {
    await phone().create({ title: 'Buy milk' }, label(w, 'phone', 't1'));
    seen['afterCreate'] = await live(phone());
  });
  step(w, 5_000, async () => (seen['createSynced'] = await live(phone())));
  step(w, 6_000, async () => {
    await phone().update(await idOf(phone(), 'Buy milk'), { title: 'Buy oat milk' }, label(w, 'phone', 't1'));
    seen['afterUpdate'] = await live(phone());
  });
  await w.run(6_000);
  await settle(w, 6_001);
  seen['updateSynced'] = await live(phone());
  return { w, seen };
}

/** The iPad's list read four times in a row, once a change made on the phone has been pulled. */
async function readsAfterPull(engine: EngineDescriptor) {
  const { pulled, ipadReads, ownReads } = await readsAfterPullWorld(engine);
  return { pulled, ipadReads, ownReads };
}

async function readsAfterPullWorld(engine: EngineDescriptor) {
  const w = worldOf(engine, ['phone', 'ipad']);
  const phone = () => w.device('phone').app;
  const ipad = () => w.device('ipad').app;
  step(w, 10, () => phone().create({ title: 'v1' }, label(w, 'phone', 't1')));
  await settle(w, 1_000);
  const edit = label(w, 'phone', 't1');
  const ownReads: string[][] = [];
  step(w, w.kernel.now + 1, async () => {
    await phone().update(await idOf(phone(), 'v1'), { title: 'v2' }, edit);
    for (let i = 0; i < 4; i++) ownReads.push(await live(phone()));
  });
  await w.run(w.kernel.now + 10_000);
  const pulled = eventsOf(w, 'device.apply').some((a) => a['device'] === 'ipad' && a['write'] === edit.write);
  const ipadReads: string[][] = [];
  step(w, w.kernel.now + 1, async () => {
    for (let i = 0; i < 4; i++) ipadReads.push(await live(ipad()));
  });
  await w.run(w.kernel.now + 1);
  return { w, pulled, ipadReads, ownReads };
}

/** Whether a read shows `older` after an earlier read showed `newer`. */
function regresses(reads: string[][], newer: string, older: string): boolean {
  const firstNew = reads.findIndex((r) => r.includes(newer));
  return firstNew >= 0 && reads.slice(firstNew + 1).some((r) => r.includes(older) || !r.includes(newer));
}

describe('mutant:save-skips-refresh breaks read-your-writes', () => {
  it('is registered with the guarantee it breaks', () => {
    expect(rywMutant.breaks).toMatch(/^read-your-writes: /);
  });

  it('after a write returns, the list misses the new task and shows an edited one at its old value; once synced, the new value', async () => {
    const { seen } = await readsAfterOwnWrites(rywMutant);
    expect(seen).toEqual({
      before: [],
      afterCreate: [],
      createSynced: ['Buy milk'],
      afterUpdate: ['Buy milk'],
      updateSynced: ['Buy oat milk'],
    });
  });

  it('while reference shows each write at once', async () => {
    const { seen } = await readsAfterOwnWrites(referenceEngine);
    expect(seen).toEqual({
      before: [],
      afterCreate: ['Buy milk'],
      createSynced: ['Buy milk'],
      afterUpdate: ['Buy oat milk'],
      updateSynced: ['Buy oat milk'],
    });
  });

  it('lets the user edit a row shown at its old value, from the value shown', async () => {
    const w = worldOf(rywMutant, ['phone']);
    const phone = () => w.device('phone').app;
    step(w, 10, () => phone().create({ title: 'Draft' }, label(w, 'phone', 't1')));
    const toggle = label(w, 'phone', 't1');
    const done = step(w, 5_000, async () => {
      const id = await idOf(phone(), 'Draft');
      await phone().update(id, { title: 'Draft 2' }, label(w, 'phone', 't1'));
      // The list still shows "Draft"; the user ticks it there.
      await phone().update(await idOf(phone(), 'Draft'), { completed: true }, toggle);
    });
    await settle(w, 5_001);
    expect(done.error).toBeUndefined();
    const op = eventsOf(w, 'op').find((e) => e['write'] === toggle.write)!;
    expect(op['value']).toEqual({ title: 'Draft', completed: true, deleted: false });
    expect(await live(phone())).toEqual(['Draft ✓']);
  });

  it('keeps reads monotonic: a pulled change never disappears again', async () => {
    const { pulled, ipadReads, ownReads } = await readsAfterPull(rywMutant);
    expect(pulled).toBe(true);
    expect(ipadReads).toEqual([['v2'], ['v2'], ['v2'], ['v2']]);
    // Its own edit, read before any sync: the defect.
    expect(ownReads).toEqual([['v1'], ['v1'], ['v1'], ['v1']]);
  });
});

describe('mutant:stale-read-replica breaks monotonic-reads', () => {
  it('is registered with the guarantee it breaks', () => {
    expect(monotonicMutant.breaks).toMatch(/^monotonic-reads: /);
  });

  it('shows a pulled change, then its older value on the next read, then the change again', async () => {
    const { pulled, ipadReads } = await readsAfterPull(monotonicMutant);
    expect(pulled).toBe(true);
    expect(ipadReads).toEqual([['v2'], ['v1'], ['v2'], ['v1']]);
    expect(regresses(ipadReads, 'v2', 'v1')).toBe(true);
  });

  it('yet always shows the device its own writes', async () => {
    const { ownReads } = await readsAfterPull(monotonicMutant);
    expect(ownReads).toEqual([['v2'], ['v2'], ['v2'], ['v2']]);
    const { seen } = await readsAfterOwnWrites(monotonicMutant);
    expect(seen).toMatchObject({ afterCreate: ['Buy milk'], afterUpdate: ['Buy oat milk'] });
  });

  it('while reference reads are monotonic', async () => {
    const { pulled, ipadReads, ownReads } = await readsAfterPull(referenceEngine);
    expect(pulled).toBe(true);
    expect(ipadReads).toEqual([['v2'], ['v2'], ['v2'], ['v2']]);
    expect(ownReads).toEqual([['v2'], ['v2'], ['v2'], ['v2']]);
  });

  it('shows the whole list again after a pull-to-refresh', async () => {
    const { w, pulled } = await readsAfterPullWorld(monotonicMutant);
    expect(pulled).toBe(true);
    const reads: string[][] = [];
    step(w, w.kernel.now + 1, async () => {
      w.device('ipad').app.sync();
      for (let i = 0; i < 4; i++) reads.push(await live(w.device('ipad').app));
    });
    await w.run(w.kernel.now + 1);
    expect(reads).toEqual([['v2'], ['v2'], ['v2'], ['v2']]);
  });

});

/** Library scenarios with faults (partitions, outages with Retry-After, crashes, skew) whose end state only other checkers judge. */
const library = ['multi-device-conflict', 'partition-heal', 'three-devices-offline', 'server-maintenance', 'crash-after-local-write', 'delete-vs-update'];
const sessionCheckers = ['read-your-writes', 'monotonic-reads'];

describe.each([rywMutant, monotonicMutant])('$name breaks nothing else', (mutant) => {
  it.each(library)('%s: no checker but a session guarantee fails', async (name) => {
    const scenario = loadScenario(`scenarios/${name}.yaml`);
    const outcome = await runScenario(scenario, { seed: scenario.seed ?? 1, engine: mutant });
    expect(outcome.settled).toBe(true);
    expect(outcome.violations.filter((v) => !sessionCheckers.includes(v))).toEqual([]);
  });
});
