import { describe, expect, it } from 'vitest';
import { eventsOf, label, live, step, world } from './support.ts';

/** The phone's requests to the server between two virtual times, as "METHOD path-without-query". */
function requests(w: ReturnType<typeof world>, device: string, from: number, to: number): string[] {
  return eventsOf(w, 'msg.send')
    .filter((m) => m['from'] === device && m['to'] === 'server' && (m['t'] as number) >= from && (m['t'] as number) < to)
    .map((m) => `${String(m['method'])} ${String(m['path']).split('?')[0]}`);
}

describe('idle polling (the design\'s lightweight status check)', () => {
  it('asks HEAD /v1/sync/status while nothing changes, and pulls once the server has news', async () => {
    const w = world(['phone', 'ipad']);
    await w.run(30_000);
    // After the launch sync, every poll of an idle phone is one HEAD and nothing else.
    const idle = requests(w, 'phone', 2_000, 30_000);
    expect(idle.length).toBeGreaterThanOrEqual(8);
    expect(new Set(idle)).toEqual(new Set(['HEAD /v1/sync/status']));

    step(w, 30_000, () => w.device('ipad').app.create({ title: 'from the ipad' }, label(w, 'ipad', 'a')));
    await w.run(40_000);
    const after = requests(w, 'phone', 30_000, 40_000);
    expect(after).toContain('GET /v1/tasks');
    expect(await live(w.device('phone').app)).toEqual(['from the ipad']);
    // The pull came right after a HEAD that said there were updates.
    const head = after.indexOf('HEAD /v1/sync/status');
    expect(head).toBeGreaterThanOrEqual(0);
    expect(after.indexOf('GET /v1/tasks')).toBeGreaterThan(head);
  });

  it('still pushes a write made between polls at once, without waiting for a poll', async () => {
    const w = world(['phone']);
    await w.run(10_000);
    step(w, 10_000, () => w.device('phone').app.create({ title: 'now' }, label(w, 'phone', 'a')));
    await w.run(11_000);
    expect(requests(w, 'phone', 10_000, 11_000)).toContain('POST /v1/sync/batch');
    expect(w.syncServer!.tasks('demo').map((t) => t.title)).toEqual(['now']);
  });
});
