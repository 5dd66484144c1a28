import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { Fence, Kernel, RandomStream } from '../src/kernel/index.ts';
import { DeviceEndpoint, Network, ServerEndpoint, type HttpHandler } from '../src/net/index.ts';
import { TraceRecorder } from '../src/trace/index.ts';
import { bestOf, timed, type Figures } from './report.ts';

const DEVICES = 20;
const REQUESTS = 100_000;

const echo: HttpHandler = (request) => ({
  status: 200,
  headers: { 'content-type': 'application/json' },
  body: typeof request.body === 'string' ? request.body : '{}',
});

/** Requests through our fetch port: device → network → server model → reply → response.json(). */
async function portRate(): Promise<number> {
  const kernel = new Kernel();
  const network = new Network(kernel, new RandomStream('bench'), new TraceRecorder(() => kernel.now), { latency: { min: 1, max: 5 } });
  new ServerEndpoint(network, kernel, echo);
  let done = 0;
  for (let i = 0; i < DEVICES; i++) {
    const endpoint = new DeviceEndpoint(`d${i}`, network, kernel);
    const fence = new Fence(`d${i}#1`);
    endpoint.reincarnate(fence);
    const fetch = endpoint.fetchFor(fence);
    const loop = async () => {
      while (done < REQUESTS) {
        const response = await fetch('/v1/ping', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"n":1}' });
        await response.json();
        done++;
      }
    };
    kernel.schedule(0, () => void loop(), { fence, async: true });
  }
  const ms = await timed(() => kernel.runUntilQuiescent().then(() => undefined));
  return (done / ms) * 1000;
}

/**
 * The same requests through the global fetch intercepted by msw 2 (setupServer), with the
 * handler answering synchronously: the best any msw bridge into the simulation could do.
 */
async function mswRate(): Promise<number> {
  const server = setupServer(
    http.all('http://server/*', async ({ request }) => {
      const reply = echo({ method: request.method, path: new URL(request.url).pathname, headers: {}, body: await request.text() }, 0);
      return new HttpResponse(reply.body as string, { status: reply.status, headers: reply.headers });
    }),
  );
  server.listen({ onUnhandledRequest: 'error' });
  const total = REQUESTS / 10;
  let done = 0;
  try {
    const ms = await timed(async () => {
      const loop = async () => {
        while (done < total) {
          const response = await fetch('http://server/v1/ping', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"n":1}' });
          await response.json();
          done++;
        }
      };
      await Promise.all(Array.from({ length: DEVICES }, loop));
    });
    return (done / ms) * 1000;
  } finally {
    server.close();
  }
}

export async function benchFetch(): Promise<Figures> {
  return {
    'fetch.port_requests_per_s': { value: Math.round(await bestOf(3, portRate)), unit: 'requests/s' },
    'fetch.msw_requests_per_s': { value: Math.round(await bestOf(2, mswRate)), unit: 'requests/s' },
  };
}
