import { describe, expect, it } from 'vitest';
import type { ClientEngine } from '../../../src/engines/engine.ts';
import { naiveEngine } from '../../../src/engines/naive/index.ts';
import { World } from '../../../src/world/index.ts';

function world(devices = ['phone', 'ipad']) {
  return new World<ClientEngine>({
    seed: 5,
    engine: 'naive',
    devices: devices.map((id) => ({ id })),
    network: { latency: { min: 20, max: 60 } },
    app: naiveEngine.create,
  });
}

const live = async (engine: ClientEngine) =>
  (await engine.tasks()).filter((t) => !t.deleted).map((t) => `${t.title}${t.completed ? ' ✓' : ''}`).sort();

describe('the naive engine', () => {
  it('creates offline and syncs when back online', async () => {
    const w = world(['phone']);
    w.at(10, () => w.setOffline('phone', true));
    w.at(20, () => {
      w.names.nameWrite('phone#1', 't1');
      void w.device('phone').app.create({ title: 'Buy milk' }, { write: 'phone#1' });
    });
    w.at(1_000, () => w.setOffline('phone', false));
    await w.runUntilQuiescent(60_000);
    expect(w.syncServer!.tasks('demo').map((t) => t.title)).toEqual(['Buy milk']);
    expect(await live(w.device('phone').app)).toEqual(['Buy milk']);
    const applied = w.trace.events.filter((e) => e.type === 'server.apply');
    expect(applied).toMatchObject([{ write: 'phone#1', task: 't1', result: 'applied' }]);
  });

  it("speaks the design's wire format: isCompleted and clientTimestamp, the LWW stamp an ISO-8601 instant", async () => {
    const w = world(['phone']);
    w.at(20, () => {
      w.names.nameWrite('phone#1', 't1');
      void w.device('phone').app.create({ title: 'Buy milk', completed: true }, { write: 'phone#1' });
    });
    await w.runUntilQuiescent(60_000);
    const [task] = w.syncServer!.tasks('demo');
    // The server took `isCompleted` and derived its stamp from `clientTimestamp` (no `stamp` sent).
    expect(task).toMatchObject({ title: 'Buy milk', completed: true, stamp: '1970-01-01T00:00:00.020Z', device: 'phone', write: 'phone#1' });
    expect(await live(w.device('phone').app)).toEqual(['Buy milk ✓']);
  });

  it('duplicates a task on the device when the create reply is lost', async () => {
    const w = world(['phone']);
    w.at(10, () => w.addDropRule({ from: 'server', to: 'phone', match: 'POST /v1/tasks', count: 1 }));
    w.at(20, () => {
      w.names.nameWrite('phone#1', 't1');
      void w.device('phone').app.create({ title: 'Buy milk' }, { write: 'phone#1' });
    });
    // The lost reply leaves the fetch pending for URLSession's 60 s; then a later sync pulls
    // the task it does not know by server id and inserts it again.
    w.at(90_000, () => w.device('phone').app.sync());
    await w.runUntilQuiescent(200_000);
    expect(await live(w.device('phone').app)).toEqual(['Buy milk', 'Buy milk']);
    expect(w.syncServer!.tasks('demo')).toHaveLength(1);
  });

  it('never sends a delete: the task stays on the server and comes back on the device that deleted it', async () => {
    const w = world();
    w.at(10, () => {
      w.names.nameWrite('phone#1', 't1');
      void w.device('phone').app.create({ title: 'Call mom' }, { write: 'phone#1' });
    });
    w.at(2_000, () => w.device('ipad').app.sync());
    w.at(4_000, async () => {
      const [task] = await w.device('ipad').app.tasks();
      await w.device('ipad').app.delete(task!.id, { write: 'ipad#1' });
    });
    w.at(6_000, () => w.device('phone').app.sync());
    await w.runUntilQuiescent(60_000);
    expect(await live(w.device('phone').app)).toEqual(['Call mom']);
    // Resurrected: the next pull finds the server task it no longer knows and inserts it.
    expect(await live(w.device('ipad').app)).toEqual(['Call mom']);
    const ipadApplies = w.trace.events.filter((e) => e.type === 'device.apply' && (e as { device: string }).device === 'ipad');
    expect(ipadApplies.map((e) => (e as { write: string }).write)).toEqual(['phone#1', 'ipad#1', 'phone#1']);
    expect(w.syncServer!.tasks('demo').filter((t) => !t.deleted)).toHaveLength(1);
  });
});
