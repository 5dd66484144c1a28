import { setupServer } from 'msw/node';
import { syncHandlers } from 'syncsim/msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WatermelonEngine } from '../src/engine.ts';
import { BASE, testDevice, until, type TestDevice } from './real-ports.ts';

const backend = syncHandlers({ baseUrl: BASE, users: [{ name: 'alice', token: 't1' }] });
const server = setupServer(...backend.handlers);
const devices: TestDevice[] = [];

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  for (const d of devices.splice(0)) d.stop();
  backend.reset();
});
afterAll(() => server.close());

function device(id: string): { device: TestDevice; engine: WatermelonEngine } {
  const d = testDevice(id, 't1');
  devices.push(d);
  return { device: d, engine: new WatermelonEngine(d.ports) };
}

const live = () => backend.tasks('alice').filter((t) => !t.deleted);

describe('WatermelonDB adapter over the §4 API', () => {
  it('pushes a create with its clientId and another device pulls it under the same id', async () => {
    const a = device('a');
    const b = device('b');
    await Promise.all([a.engine.ready, b.engine.ready]);
    const id = await a.engine.create({ title: 'Buy milk' }, { write: 'a#1' });
    await until(() => live().length === 1);
    expect(live()[0]).toMatchObject({ clientId: id, title: 'Buy milk', write: 'a#1', device: 'a' });
    b.engine.sync();
    await until(async () => (await b.engine.tasks()).length === 1);
    expect((await b.engine.tasks())[0]).toMatchObject({ id, clientId: id, title: 'Buy milk', serverId: live()[0]!.id });
  });

  it('updates with the version and deletes as a tombstone', async () => {
    const a = device('a');
    await a.engine.ready;
    const id = await a.engine.create({ title: 'one' }, { write: 'a#1' });
    await until(() => live().length === 1);
    a.engine.sync();
    await until(async () => (await a.engine.tasks())[0]?.serverId != null);
    await a.engine.update(id, { completed: true }, { write: 'a#2' });
    await until(() => live()[0]?.completed === true);
    expect(live()[0]).toMatchObject({ title: 'one', completed: true, write: 'a#2' });
    await a.engine.delete(id, { write: 'a#3' });
    await until(() => live().length === 0);
    expect(await a.engine.tasks()).toEqual([]);
    await until(async () => (await a.engine.queue()).length === 0);
  });

  it('resolves a concurrent edit by stamp: the later write wins on both devices', async () => {
    const a = device('a');
    const b = device('b');
    await Promise.all([a.engine.ready, b.engine.ready]);
    const id = await a.engine.create({ title: 'start' }, { write: 'a#1' });
    await until(() => live().length === 1);
    b.engine.sync();
    await until(async () => (await b.engine.tasks()).length === 1);
    b.device.setOnline(false);
    await b.engine.update(id, { title: 'from b' }, { write: 'b#1' });
    await new Promise((r) => setTimeout(r, 5));
    await a.engine.update(id, { title: 'from a' }, { write: 'a#2' });
    await until(() => live()[0]?.title === 'from a');
    b.device.setOnline(true);
    await until(async () => (await b.engine.tasks())[0]?.title === 'from a' && (await b.engine.queue()).length === 0);
    expect(live()[0]?.title).toBe('from a');
  });

  it('library: a row deleted here ignores the pulled update, so its delete carries a stale version', async () => {
    const batches: Array<{ operations: Array<{ type: string; version?: number }> }> = [];
    server.events.on('request:start', async ({ request }) => {
      if (request.method === 'POST' && request.url.endsWith('/v1/sync/batch')) batches.push(await request.clone().json());
    });
    const a = device('a');
    const b = device('b');
    await Promise.all([a.engine.ready, b.engine.ready]);
    const id = await a.engine.create({ title: 'start' }, { write: 'a#1' });
    await until(() => live().length === 1);
    a.engine.sync();
    b.engine.sync();
    await until(async () => (await a.engine.tasks())[0]?.serverId != null && (await b.engine.tasks()).length === 1);
    a.device.setOnline(false);
    await a.engine.delete(id, { write: 'a#2' });
    await b.engine.update(id, { title: 'edited' }, { write: 'b#1' });
    await until(() => backend.tasks('alice')[0]?.version === 2);
    a.device.setOnline(true);
    await until(() => backend.tasks('alice')[0]?.deleted === true);
    const deletes = batches.flatMap((batch) => batch.operations).filter((op) => op.type === 'delete');
    // The pull brought version 2, WatermelonDB kept the deleted row at version 1: a server that
    // version-checks deletes would answer 409 to every retry (the adapter resends with serverData.version).
    expect(deletes.map((op) => op.version)).toEqual([1]);
    server.events.removeAllListeners();
  });
});
