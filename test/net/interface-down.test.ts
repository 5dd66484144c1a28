import { describe, expect, it } from 'vitest';
import { DeviceTimers, Fence, Kernel, RandomStream } from '../../src/kernel/index.ts';
import { DeviceEndpoint, Network, ServerEndpoint } from '../../src/net/index.ts';
import { TraceRecorder } from '../../src/trace/index.ts';
import { echoHandler } from '../support/echo-handler.ts';

function setup() {
  const kernel = new Kernel();
  const network = new Network(kernel, new RandomStream('down'), new TraceRecorder(() => kernel.now), { latency: { min: 100, max: 100 } });
  const server = new ServerEndpoint(network, kernel, echoHandler());
  const phone = new DeviceEndpoint('phone', network, kernel);
  const fence = new Fence('phone#1');
  phone.reincarnate(fence);
  return { kernel, network, server, fetch: phone.fetchFor(fence), timers: new DeviceTimers(kernel, fence), fence };
}

describe('requests in flight when the interface goes down', () => {
  it('fail at once when the device goes offline', async () => {
    const { kernel, network, fetch, fence } = setup();
    let outcome = '';
    kernel.schedule(0, () => {
      fetch('/v1/tasks').then(() => (outcome = `ok at ${kernel.now}`), (e: TypeError) => (outcome = `${e.name} ${(e.cause as { code: string }).code} at ${kernel.now}`));
    }, { fence, async: true });
    kernel.schedule(30, () => network.setSwitch('phone', false));
    await kernel.runUntilQuiescent();
    expect(outcome).toBe('TypeError ECONNRESET at 30');
  });

  it('do not fail on a partition, which the device cannot see: the engine\'s timeout decides', async () => {
    const { kernel, network, fetch, timers, fence } = setup();
    let outcome = '';
    kernel.schedule(0, () => {
      const controller = new AbortController();
      timers.setTimeout(() => controller.abort(), 1_000);
      fetch('/v1/tasks', { signal: controller.signal }).then(() => (outcome = 'ok'), (e: Error) => (outcome = `${e.name} at ${kernel.now}`));
    }, { fence, async: true });
    kernel.schedule(30, () => network.partition([['phone'], ['server']]));
    await kernel.runUntilQuiescent();
    expect(outcome).toBe('AbortError at 1000');
  });
});

describe('a server restart', () => {
  it('resets the connections of requests in flight to it: they fail one trip later', async () => {
    const { kernel, server, fetch, fence } = setup();
    let outcome = '';
    kernel.schedule(0, () => {
      fetch('/v1/tasks').then(() => (outcome = 'ok'), (e: TypeError) => (outcome = `${(e.cause as { code: string }).code} at ${kernel.now}`));
    }, { fence, async: true });
    kernel.schedule(50, () => server.restart());
    await kernel.runUntilQuiescent();
    // Sent at 0, lost at 100 (arrival at the restarted server), the reset back at 200.
    expect(outcome).toBe('ECONNRESET at 200');
  });
});
