import { describe, expect, it } from 'vitest';
import { settle, world } from './support.ts';

describe('scale', () => {
  it('syncs 10,000 tasks made on one device to two others', async () => {
    const w = world(['phone', 'ipad', 'mac']);
    w.at(1, () => w.setOffline('phone', true));
    w.at(10, () => {
      const phone = w.device('phone').app;
      void (async () => {
        for (let i = 0; i < 10_000; i++) await phone.create({ title: `task ${i}` }, { write: `phone#${i + 1}` });
      })();
    });
    await w.runUntilQuiescent(60_000);
    w.at(w.kernel.now + 1, () => w.setOffline('phone', false));
    await settle(w, w.kernel.now + 2);
    expect(w.syncServer!.tasks('demo')).toHaveLength(10_000);
    for (const id of ['phone', 'ipad', 'mac']) {
      const rows = await w.device(id).app.tasks();
      expect(rows).toHaveLength(10_000);
      expect(rows.every((r) => r.syncStatus === 'synced' && !r.deleted)).toBe(true);
      expect(await w.device(id).app.queue()).toEqual([]);
    }
  });
});
