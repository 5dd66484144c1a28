import { describe, expect, it } from 'vitest';
import { referenceEngine } from '../../../src/engines/reference/index.ts';
import type { HttpShape } from '../../../src/net/message.ts';
import { SyncServer } from '../../../src/server/server.ts';
import { World } from '../../../src/world/index.ts';
import { live, type RefApp } from './support.ts';

describe('reference: a server that lost its data (CURSOR_AHEAD)', () => {
  it('starts over from cursor 0 and keeps syncing, instead of retrying a cursor the server will never reach', async () => {
    const users = [{ name: 'demo', token: 'demo-token' }];
    let server = new SyncServer({ users });
    const w = new World<RefApp>({
      seed: 3,
      devices: [{ id: 'phone' }, { id: 'ipad' }],
      network: { latency: { min: 10, max: 10 } },
      handler: (request: HttpShape, now: number) => server.handle(request, now),
      app: referenceEngine.create as (ports: Parameters<typeof referenceEngine.create>[0]) => RefApp,
    });
    const phone = w.device('phone');
    const ipad = w.device('ipad');
    w.at(1_000, () => void phone.asApp(() => phone.app.create({ title: 'before the loss', completed: false }, { write: 'phone#1' })));
    w.at(2_000, () => phone.asApp(() => phone.app.sync()));
    await w.run(10_000);
    // The server comes back empty: phone's cursor is now ahead of it.
    server = new SyncServer({ users });
    // Both devices learn it (phone by its pull, ipad by a periodic HEAD) before ipad writes again:
    // a cursor number the new server reaches later would name another change.
    w.at(10_100, () => phone.asApp(() => phone.app.sync()));
    w.at(16_000, () => void ipad.asApp(() => ipad.app.create({ title: 'after the loss', completed: false }, { write: 'ipad#1' })));
    w.at(17_000, () => ipad.asApp(() => ipad.app.sync()));
    w.at(25_000, () => phone.asApp(() => phone.app.sync()));
    await w.run(40_000);
    const ahead = w.trace.events.filter((e) => e.type === 'msg.send' && (e as unknown as { status?: number }).status === 409);
    expect(ahead.length).toBeGreaterThan(0);
    expect(await live(phone.app)).toContain('after the loss');
  });
});
