import { World } from '../../src/world/index.ts';
import { echoHandler } from './echo-handler.ts';
import { pingApp, type PingApp } from './ping-app.ts';

/**
 * A busy little run for determinism checks: three devices pinging a server through every
 * kind of fault — random drops, duplicates, reordering, a partition, airplane mode, a crash
 * and restart, a clock change, a server restart, background and refresh.
 */
export async function runPingWorld(seed: number): Promise<World<PingApp>> {
  const w = new World<PingApp>({
    seed,
    scenario: 'ping-world',
    engine: 'ping',
    devices: [{ id: 'phone' }, { id: 'ipad', skew: -90_000 }, { id: 'mac', skew: 5_000 }],
    network: { latency: { min: 5, max: 120 }, drop: 0.1, duplicate: 0.1, reorder: true },
    handler: echoHandler(),
    app: pingApp({ periodMs: 200, timeoutMs: 300 }),
  });
  w.at(1_000, () => w.partition([['phone'], ['ipad', 'mac', 'server']]));
  w.at(2_000, () => w.heal());
  w.at(2_500, () => w.setOffline('ipad', true));
  w.at(3_050, () => w.crash('mac'));
  w.at(3_100, () => w.setNetwork({ reorder: false, drop: 0.3 }));
  w.at(3_500, () => w.setOffline('ipad', false));
  w.at(4_000, () => w.restart('mac'));
  w.at(4_200, () => w.addDropRule({ from: 'server', to: 'phone', match: 'POST /ping', count: 3 }));
  w.at(4_500, () => w.setSkew('phone', 120_000));
  w.at(5_050, () => w.restartServer());
  w.at(5_500, () => w.background('ipad'));
  w.at(6_000, () => w.grantRefresh('ipad', 400));
  w.at(7_000, () => w.foreground('ipad'));
  await w.run(8_000);
  return w;
}

// As a script: print the trace's hash and size for one seed.
if (process.argv[1]?.endsWith('ping-world.ts')) {
  const w = await runPingWorld(Number(process.argv[2] ?? 1));
  w.trace.end(true, []);
  console.log(JSON.stringify({ hash: w.trace.digest(), events: w.trace.length }));
}
