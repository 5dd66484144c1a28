import { describe, expect, it } from 'vitest';
import type { AppEvent, ConnectivityState, EnginePorts } from '../../src/engines/ports.ts';
import { World } from '../../src/world/index.ts';
import { echoHandler } from '../support/echo-handler.ts';

/** An app that ticks every 100 ms and logs what its ports tell it. */
function tickingApp(ports: EnginePorts) {
  const app = { ticks: [] as number[], events: [] as string[], connectivity: [] as ConnectivityState[], ports };
  ports.timers.setInterval(() => app.ticks.push(ports.clock.now()), 100);
  ports.app.subscribe((event: AppEvent) => app.events.push(event.type));
  ports.connectivity.subscribe((state) => app.connectivity.push(state));
  return app;
}

function world() {
  return new World({ seed: 3, devices: [{ id: 'phone' }], handler: echoHandler(), app: tickingApp });
}

describe('app lifecycle', () => {
  it('holds a background app\'s timers until a refresh window, then until foreground', async () => {
    const w = world();
    const phone = w.device('phone');
    w.at(250, () => w.background('phone'));
    w.at(1000, () => w.grantRefresh('phone', 300));
    w.at(2000, () => w.foreground('phone'));
    await w.run(2250);
    const ticks = phone.app.ticks;
    expect(ticks.filter((t) => t <= 250)).toEqual([100, 200]);
    // Suspended from 250 to 1000: the tick due at 300 was held and fires when the window opens.
    expect(ticks.filter((t) => t > 250 && t < 1000)).toEqual([]);
    expect(ticks.filter((t) => t >= 1000 && t <= 1300)).toEqual([1000, 1100, 1200]);
    expect(ticks.filter((t) => t > 1300 && t < 2000)).toEqual([]);
    expect(ticks.filter((t) => t >= 2000)).toEqual([2000, 2100, 2200]);
    expect(phone.app.events).toEqual(['background', 'refresh', 'foreground']);
  });

  it('relaunches a terminated app in the background for a refresh window', async () => {
    const w = world();
    const phone = w.device('phone');
    w.at(50, () => w.background('phone'));
    w.at(60, () => w.terminate('phone'));
    w.at(500, () => w.grantRefresh('phone', 250));
    await w.run(1000);
    expect(phone.incarnation).toBe(2);
    expect(phone.state).toBe('background');
    expect(phone.app.ticks).toEqual([600, 700]);
    expect(phone.app.events).toEqual(['refresh']);
  });

  it('reports connectivity changes from the switch, the connection type and partitions', async () => {
    const w = world();
    const phone = w.device('phone');
    w.at(10, () => w.setOffline('phone', true));
    w.at(20, () => w.setOffline('phone', false));
    w.at(30, () => w.setConnection('phone', 'cellular'));
    w.at(40, () => w.partition([['phone'], ['server']]));
    w.at(50, () => w.heal());
    w.at(60, () => w.setConnection('phone', 'none'));
    w.at(70, () => w.setNetwork({ drop: 0.5 })); // not a connectivity change
    await w.run(100);
    expect(phone.app.connectivity).toEqual([
      { online: false, reachable: false, connection: 'wifi' },
      { online: true, reachable: true, connection: 'wifi' },
      { online: true, reachable: true, connection: 'cellular' },
      { online: true, reachable: false, connection: 'cellular' },
      { online: true, reachable: true, connection: 'cellular' },
      { online: false, reachable: false, connection: 'none' },
    ]);
    const faults = w.trace.events.filter((e) => e.type === 'fault').map((e) => (e as { kind: string }).kind);
    expect(faults).toEqual(['offline', 'online', 'connection', 'partition', 'heal', 'connection', 'network']);
  });

  it('moves the device clock with a skew change but not its timers', async () => {
    const w = world();
    const phone = w.device('phone');
    w.at(150, () => w.setSkew('phone', 60_000));
    await w.run(300);
    expect(phone.app.ticks).toEqual([100, 60_200, 60_300]);
  });
});
