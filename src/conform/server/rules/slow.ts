import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { expectThat, notApplicable, type ServerRule } from '../rule.ts';

/** How long past the server's own timeout we wait for it to act. */
const GRACE_MS = 2_000;

/** What became of a request whose headers never finished: the server's first bytes, or that it closed. */
function sendHalfHeaders(url: URL, token: string, waitMs: number): Promise<{ closed: boolean; reply: string }> {
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  return new Promise((resolve, reject) => {
    const socket: Socket = url.protocol === 'https:' ? tlsConnect({ host: url.hostname, port, servername: url.hostname }) : netConnect({ host: url.hostname, port });
    let reply = '';
    let connected = false;
    const timer = setTimeout(() => finish(false), waitMs);
    const finish = (closed: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ closed, reply: reply.slice(0, 200) });
    };
    socket.once(url.protocol === 'https:' ? 'secureConnect' : 'connect', () => {
      connected = true;
      socket.write(`GET ${url.pathname.replace(/\/+$/, '')}/v1/sync/status HTTP/1.1\r\nHost: ${url.host}\r\nAuthorization: Bearer ${token}\r\n`);
    });
    socket.on('data', (chunk: Buffer) => (reply += chunk.toString('latin1')));
    socket.once('close', () => finish(true));
    // A reset after we connected is the server closing on us; before, the server is not there.
    socket.once('error', (error) => (connected ? finish(true) : reject(error)));
  });
}

export const slowRequestRules: ServerRule[] = [
  {
    name: 'limits/slow-request',
    says: 'request headers that do not arrive within the server\'s timeout get a 408 or a closed connection (judged when --slow-request MS gives that timeout)',
    dialect: 'both',
    async run(ctx) {
      const timeout = ctx.slowRequestMs;
      if (timeout === undefined) notApplicable('give the server\'s header timeout with --slow-request MS to judge it');
      const url = ctx.client.options.baseUrl;
      const { closed, reply } = await sendHalfHeaders(url, ctx.a.token, timeout + GRACE_MS);
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(reply)?.[1];
      expectThat(closed || status !== undefined, `half a request's headers were still waiting after ${timeout + GRACE_MS} ms (the server's timeout ${timeout} ms + ${GRACE_MS} ms): no 408, connection open`);
      expectThat(status === undefined || status === '408', `half a request's headers were answered ${status ?? ''}, not 408: ${JSON.stringify(reply.split('\r\n')[0])}`);
    },
  },
];
