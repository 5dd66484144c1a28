import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runCheckers } from '../src/check/index.ts';
import type { ClientEngine } from '../src/engines/engine.ts';
import { referenceEngine } from '../src/engines/reference/index.ts';
import { findEngine } from '../src/engines/registry.ts';
import { loadScenario } from '../src/scenario/index.ts';
import { runScenario } from '../src/world/run-scenario.ts';
import { tokenOf, World } from '../src/world/index.ts';
import { largeTrace } from '../test/check/large-trace.ts';
import { bestOf, timed, type Figures } from './report.ts';

/** Virtual ms per wall ms over the whole scenario library. */
async function timeDilation(): Promise<{ dilation: number; median: number; slowest: { name: string; ratio: number }; virtualMs: number; wallMs: number }> {
  let virtualMs = 0;
  let wallMs = 0;
  const each: number[] = [];
  let slowest = { name: '', ratio: Number.POSITIVE_INFINITY };
  for (const file of readdirSync('scenarios').filter((f) => f.endsWith('.yaml')).sort()) {
    const scenario = loadScenario(join('scenarios', file));
    const engine = findEngine(scenario.engine ?? 'reference')!;
    let end = 0;
    const ms = await timed(async () => {
      end = (await runScenario(scenario, { seed: scenario.seed ?? 1, engine })).world.kernel.now;
    });
    wallMs += ms;
    virtualMs += end;
    each.push(end / ms);
    if (end / ms < slowest.ratio) slowest = { name: scenario.name, ratio: end / ms };
  }
  each.sort((a, b) => a - b);
  return { dilation: virtualMs / wallMs, median: each[Math.floor(each.length / 2)] ?? 0, slowest, virtualMs, wallMs };
}

/** Every checker over a generated 1,000,000-event trace. */
async function checkRate(): Promise<number> {
  const events = largeTrace(1_000_000);
  const ms = await timed(() => void runCheckers(events));
  return (events.length / ms) * 1000;
}

/**
 * The initial sync of 10,000 tasks onto three fresh devices: the server already holds
 * them (created through its API before the devices start); wall time until every device
 * has all of them and the world is quiet.
 */
async function initialSync10k(): Promise<number> {
  const world = new World<ClientEngine>({
    seed: 1,
    devices: [{ id: 'phone' }, { id: 'ipad' }, { id: 'mac' }],
    app: referenceEngine.create,
    launch: false,
  });
  const server = world.syncServer!;
  const headers = { authorization: `Bearer ${tokenOf('demo')}`, 'content-type': 'application/json' };
  for (let start = 0; start < 10_000; start += 500) {
    const operations = Array.from({ length: 500 }, (_, i) => ({
      type: 'create', clientId: `seed-${start + i}`, title: `Task ${start + i}`, completed: false, stamp: '000000000000001.000000', device: 'seed',
    }));
    const reply = server.handle({ method: 'POST', path: '/v1/sync/batch', headers, body: JSON.stringify({ operations }) }, 0);
    if (reply.status !== 200) throw new Error(`seeding failed: ${reply.status}`);
  }
  for (const host of world.devices.values()) world.at(0, () => host.launch());
  const ms = await timed(() => world.runUntilQuiescent(600_000).then(() => undefined));
  for (const host of world.devices.values()) {
    let count = 0;
    world.at(world.kernel.now, () => void host.app.tasks().then((rows) => (count = rows.length)));
    await world.run(world.kernel.now);
    if (count !== 10_000) throw new Error(`${host.id} has ${count} tasks after the initial sync, not 10000`);
  }
  return ms;
}

export async function benchHarness(): Promise<Figures> {
  const library = await timeDilation();
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 3; i++) best = Math.min(best, await initialSync10k());
  return {
    'sync.initial_10k_tasks_ms': { value: Math.round(best), unit: 'ms' },
    'run.time_dilation': { value: Math.round(library.dilation), unit: 'virtual ms per wall ms' },
    'run.time_dilation_median_scenario': { value: Math.round(library.median), unit: 'virtual ms per wall ms' },
    'run.time_dilation_slowest_scenario': { value: Math.round(library.slowest.ratio), unit: `virtual ms per wall ms (${library.slowest.name})` },
    'run.library_virtual_ms': { value: library.virtualMs, unit: 'ms' },
    'run.library_wall_ms': { value: Math.round(library.wallMs), unit: 'ms' },
    'check.events_per_s': { value: Math.round(await bestOf(2, checkRate)), unit: 'events/s' },
  };
}
