import { describe, expect, it } from 'vitest';
import type { ClientEngine } from '../../src/engines/engine.ts';
import { referenceEngine } from '../../src/engines/reference/index.ts';
import { World } from '../../src/world/index.ts';
import { inSimulation } from '../../src/world/settle.ts';

describe('storage after an open the crash cut short', () => {
  // Found by fuzzing (crashy seed 212): the app goes to the background as it launches, so its
  // database open is suspended half done; the OS kills it; the next launch's open must not
  // wait for ever on the dead one (fake-indexeddb queues opens, and upgrades wait for others).
  it('lets the next incarnation open and use the database', async () => {
    const w = new World<ClientEngine>({ seed: 1, devices: [{ id: 'mac' }], app: referenceEngine.create });
    w.at(0, () => w.background('mac'));
    w.at(100, () => w.terminate('mac'));
    w.at(200, () => w.foreground('mac'));
    w.at(300, () => void w.device('mac').app.create({ title: 'after relaunch' }, { write: 'mac#1' }));
    await w.run(5_000);
    const tasks = await inSimulation(w, () => w.device('mac').app.tasks());
    expect(tasks.map((t) => t.title)).toEqual(['after relaunch']);
  });
});
