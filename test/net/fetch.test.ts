import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DeviceTimers, Fence, Kernel, RandomStream } from '../../src/kernel/index.ts';
import {
  DeviceEndpoint,
  type HttpHandler,
  type HttpReply,
  type HttpShape,
  Network,
  ServerEndpoint,
} from '../../src/net/index.ts';
import { type EventOf, TraceRecorder } from '../../src/trace/index.ts';

/** Echoes the request back as JSON; "/gzip" answers gzip bytes; "/status/N" answers status N. */
const echo: HttpHandler = (request: HttpShape, now: number): HttpReply => {
  const text = JSON.stringify({ method: request.method, path: request.path, headers: request.headers, body: request.body, now });
  if (request.path.startsWith('/gzip')) {
    return { status: 200, headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: gzipSync(text) };
  }
  const status = /^\/status\/(\d+)/.exec(request.path)?.[1];
  return { status: status === undefined ? 200 : Number(status), headers: { 'content-type': 'application/json', 'x-served-at': String(now) }, body: text };
};

/** A phone and a server 10 ms apart, the phone's first incarnation launched. */
function world(conditions = {}) {
  const kernel = new Kernel();
  const trace = new TraceRecorder(() => kernel.now);
  const network = new Network(kernel, new RandomStream('x'), trace, { latency: { min: 10, max: 10 }, reorder: false, ...conditions });
  const received: HttpShape[] = [];
  const server = new ServerEndpoint(network, kernel, (request, now) => {
    received.push(request);
    return echo(request, now);
  });
  const device = new DeviceEndpoint('phone', network, kernel);
  const fence = new Fence('phone#1');
  device.reincarnate(fence);
  const fetch = device.fetchFor(fence);
  const timers = new DeviceTimers(kernel, fence);
  return { kernel, trace, network, server, device, fence, fetch, timers, received };
}

interface Outcome<T> {
  settled: boolean;
  value?: T;
  error?: unknown;
  /** Virtual time when the app saw the outcome. */
  at?: number;
}

/** Runs app code as a task of the fenced incarnation (as engines do), recording its outcome. */
function app<T>(kernel: Kernel, fence: Fence | null, work: () => Promise<T>, delay = 0): Outcome<T> {
  const outcome: Outcome<T> = { settled: false };
  kernel.schedule(delay, () => {
    work().then(
      (value) => Object.assign(outcome, { settled: true, value, at: kernel.now }),
      (error: unknown) => Object.assign(outcome, { settled: true, error, at: kernel.now }),
    );
  }, { fence, async: true });
  return outcome;
}

function messages<K extends 'msg.send' | 'msg.deliver' | 'msg.drop'>(trace: TraceRecorder, type: K): Array<EventOf<K>> {
  return trace.events.filter((e) => e.type === type) as unknown as Array<EventOf<K>>;
}

describe('fetch over the simulated network', () => {
  it('makes a round trip: status, headers, json()', async () => {
    const { kernel, fence, fetch } = world();
    const outcome = app(kernel, fence, async () => {
      const response = await fetch('/v1/tasks', { method: 'post', headers: { 'X-Token': 'abc' }, body: '{"title":"milk"}' });
      return { status: response.status, ok: response.ok, response, json: await response.json() };
    });
    await kernel.runUntilQuiescent();
    expect(outcome.error).toBeUndefined();
    const { status, ok, response, json } = outcome.value!;
    expect([status, ok, outcome.at]).toEqual([200, true, 20]);
    expect(response.headers.get('Content-Type')).toBe('application/json');
    expect(response.headers.get('X-SERVED-AT')).toBe('10');
    expect(response.headers.has('x-served-at')).toBe(true);
    expect(response.headers.get('x-missing')).toBeNull();
    expect(json).toEqual({ method: 'POST', path: '/v1/tasks', headers: { 'x-token': 'abc' }, body: '{"title":"milk"}', now: 10 });
  });

  it('text() reads the body once; reading it again rejects', async () => {
    const { kernel, fence, fetch } = world();
    const outcome = app(kernel, fence, async () => {
      const response = await fetch('/status/404');
      const text = await response.text();
      const used = response.bodyUsed;
      const again = await response.json().then(() => 'read twice', (error: unknown) => error);
      return { status: response.status, ok: response.ok, text, used, again };
    });
    await kernel.runUntilQuiescent();
    const { status, ok, text, used, again } = outcome.value!;
    expect([status, ok, used]).toEqual([404, false, true]);
    expect(JSON.parse(text)).toMatchObject({ method: 'GET', path: '/status/404' });
    expect(again).toBeInstanceOf(TypeError);
  });

  it('takes full URLs and paths alike; request headers may come as pairs or a forEach-able', async () => {
    const { kernel, fence, fetch, received } = world();
    app(kernel, fence, async () => {
      await fetch('https://api.example.com/v1/tasks?since=3', { headers: [['If-None-Match', 'v1']] });
      await fetch('/v1/tasks?since=4', { headers: new Map([['Accept', 'application/json']]) });
    });
    await kernel.runUntilQuiescent();
    expect(received.map((r) => [r.method, r.path, r.headers])).toEqual([
      ['GET', '/v1/tasks?since=3', { 'if-none-match': 'v1' }],
      ['GET', '/v1/tasks?since=4', { accept: 'application/json' }],
    ]);
  });

  it('decodes gzip reply bodies, for text() and arrayBuffer()', async () => {
    const { kernel, fence, fetch } = world();
    const outcome = app(kernel, fence, async () => {
      const first = await fetch('/gzip/a');
      const second = await fetch('/gzip/b');
      return { json: await first.json(), bytes: new Uint8Array(await second.arrayBuffer()) };
    });
    await kernel.runUntilQuiescent();
    expect(outcome.value!.json).toMatchObject({ path: '/gzip/a' });
    expect(JSON.parse(new TextDecoder().decode(outcome.value!.bytes))).toMatchObject({ path: '/gzip/b' });
    // The wire carried compressed bytes, not the text.
    expect(() => gunzipSync(outcome.value!.bytes)).toThrow();
  });

  it('a lost request leaves the fetch pending; the app’s own timeout aborts it with an AbortError', async () => {
    const { kernel, trace, network, fence, fetch, timers } = world();
    network.addDropRule({ match: 'POST /v1/tasks', count: 2 });

    const forever = app(kernel, fence, () => fetch('/v1/tasks', { method: 'POST' }));
    await expect(kernel.runUntilQuiescent()).resolves.toBe(true);
    expect(forever.settled).toBe(false);

    const start = kernel.now;
    const aborted = app(kernel, fence, async () => {
      const controller = new AbortController();
      const timeout = timers.setTimeout(() => controller.abort(), 5_000);
      try {
        return await fetch('/v1/tasks', { method: 'POST', signal: controller.signal });
      } finally {
        timers.clearTimeout(timeout);
      }
    });
    await kernel.runUntilQuiescent();
    expect(aborted.error).toMatchObject({ name: 'AbortError' });
    expect(aborted.at).toBe(start + 5_000);
    expect(forever.settled).toBe(false);
    expect(messages(trace, 'msg.drop').map((e) => e.reason)).toEqual(['rule', 'rule']);
  });

  it('a lost reply leaves the fetch pending too, until aborted', async () => {
    const { kernel, network, fence, fetch, timers, received } = world();
    network.addDropRule({ from: 'server', match: 'GET /v1', count: 1 });
    const outcome = app(kernel, fence, () => {
      const controller = new AbortController();
      timers.setTimeout(() => controller.abort(new Error('gave up')), 1_000);
      return fetch('/v1/tasks', { signal: controller.signal });
    });
    await kernel.runUntilQuiescent();
    expect(received).toHaveLength(1);
    expect(outcome.error).toMatchObject({ message: 'gave up' });
    expect(outcome.at).toBe(1_000);
  });

  it('an abort after the reply changes nothing', async () => {
    const { kernel, fence, fetch, timers } = world();
    const outcome = app(kernel, fence, () => {
      const controller = new AbortController();
      timers.setTimeout(() => controller.abort(), 1_000);
      return fetch('/v1/tasks', { signal: controller.signal });
    });
    await kernel.runUntilQuiescent();
    expect(outcome.error).toBeUndefined();
    expect(outcome.value!.status).toBe(200);
    expect(outcome.at).toBe(20);
  });

  it('a signal aborted before the call rejects at once and sends nothing', async () => {
    const { kernel, trace, fence, fetch } = world();
    const outcome = app(kernel, fence, () => {
      const controller = new AbortController();
      controller.abort();
      return fetch('/v1/tasks', { signal: controller.signal });
    });
    await kernel.runUntilQuiescent();
    expect(outcome.error).toMatchObject({ name: 'AbortError' });
    expect(outcome.at).toBe(0);
    expect(trace.length).toBe(0);
  });

  it('a duplicated request resolves once; the extra replies are ignored', async () => {
    const { kernel, trace, fence, fetch, received } = world({ duplicate: 1 });
    let resolutions = 0;
    const outcome = app(kernel, fence, async () => {
      const response = await fetch('/v1/tasks', { method: 'PUT' });
      resolutions++;
      return response.json();
    });
    await kernel.runUntilQuiescent();
    expect(received).toHaveLength(2); // the request and its copy
    expect(messages(trace, 'msg.deliver').filter((e) => e.to === 'phone')).toHaveLength(4); // two replies, each doubled
    expect(resolutions).toBe(1);
    expect(outcome.value).toMatchObject({ method: 'PUT' });
  });

  it('with the switch off or no connection, fetch rejects with a TypeError at once', async () => {
    const { kernel, trace, network, fence, fetch } = world();
    network.setSwitch('phone', false);
    const airplane = app(kernel, fence, () => fetch('/v1/tasks'), 100);
    kernel.at(150, () => {
      network.setSwitch('phone', true);
      network.setConnection('phone', 'none');
    });
    const noSignal = app(kernel, fence, () => fetch('/v1/tasks'), 200);
    await kernel.runUntilQuiescent();
    expect(airplane.error).toBeInstanceOf(TypeError);
    expect(noSignal.error).toBeInstanceOf(TypeError);
    expect([airplane.at, noSignal.at]).toEqual([100, 200]);
    expect(messages(trace, 'msg.drop').map((e) => e.reason)).toEqual(['offline', 'offline']);
  });

  it('a closed incarnation’s fetch never sends, and its late replies are lost', async () => {
    const { kernel, trace, device, fence, fetch } = world();
    const inFlight = app(kernel, fence, () => fetch('/v1/tasks/old'));
    kernel.at(15, () => fence.close()); // crash while the reply is on its way
    await kernel.runUntilQuiescent();
    expect(inFlight.settled).toBe(false);
    expect(messages(trace, 'msg.drop')).toMatchObject([{ reply: 1, reason: 'crashed' }]);

    // Code of the dead incarnation that still calls its fetch: nothing leaves the device.
    const sendsBefore = messages(trace, 'msg.send').length;
    const ghost = app(kernel, null, () => fetch('/v1/tasks/ghost'));
    await kernel.runUntilQuiescent();
    expect(ghost.settled).toBe(false);
    expect(messages(trace, 'msg.send')).toHaveLength(sendsBefore);

    // The next incarnation talks normally.
    const second = new Fence('phone#2');
    device.reincarnate(second);
    const fresh = app(kernel, second, () => device.fetchFor(second)('/v1/tasks/new'));
    await kernel.runUntilQuiescent();
    expect(fresh.value!.status).toBe(200);
  });

  it('a device cannot reincarnate while its incarnation is alive', () => {
    const { device } = world();
    expect(() => device.reincarnate(new Fence('phone#2'))).toThrow(/restarted while its incarnation is alive/);
  });

  it('a suspended app gets its reply only after thaw', async () => {
    const { kernel, fence, fetch } = world();
    const outcome = app(kernel, fence, async () => {
      const response = await fetch('/v1/tasks');
      return { status: response.status, seenAt: kernel.now };
    });
    kernel.at(5, () => {
      fence.frozen = true;
    });
    await kernel.runUntil(100);
    expect(outcome.settled).toBe(false);
    kernel.thaw(fence);
    await kernel.runUntilQuiescent();
    expect(outcome.value).toEqual({ status: 200, seenAt: 100 });
  });

  it('a server restart while it processes a request loses the reply', async () => {
    const { kernel, server, fence, fetch, timers, received } = world();
    server.processingMs = 50;
    const outcome = app(kernel, fence, () => {
      const controller = new AbortController();
      timers.setTimeout(() => controller.abort(), 1_000);
      return fetch('/v1/tasks', { signal: controller.signal });
    });
    kernel.at(30, () => server.restart());
    const after = app(kernel, fence, () => fetch('/v1/tasks/after'), 40);
    await kernel.runUntilQuiescent();
    expect(received.map((r) => r.path)).toEqual(['/v1/tasks/after']);
    expect(outcome.error).toMatchObject({ name: 'AbortError' });
    expect(after.value!.status).toBe(200);
    expect(server.fence.name).toBe('server#2');
    expect(after.at).toBe(40 + 10 + 50 + 10);
  });
});
