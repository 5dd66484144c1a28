import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startHttpServer, type RunningHttpServer } from '../../src/server/listen.ts';
import { SyncServer } from '../../src/server/server.ts';

let running: RunningHttpServer | undefined;
const sockets: Socket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await running?.close();
  running = undefined;
});

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.on('error', reject);
    sockets.push(socket);
  });
}

/** Resolves with what the socket received once the server closes it (bounded by `waitMs`). */
function closed(socket: Socket, waitMs = 5_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`still open after ${waitMs} ms`)), waitMs);
    socket.on('data', (chunk) => (text += chunk.toString()));
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(text);
    });
  });
}

describe('startHttpServer limits', () => {
  it('closes a connection past maxConnections at once and keeps serving the ones it holds', async () => {
    running = await startHttpServer(new SyncServer({ users: [{ name: 'a', token: 't' }] }), { port: 0, now: () => 0, maxConnections: 1 });
    const first = await open(running.port);
    const second = await open(running.port);
    await expect(closed(second)).resolves.toBe('');
    first.write('GET /v1/sync/status HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer t\r\nConnection: close\r\n\r\n');
    expect(await closed(first)).toMatch(/^HTTP\/1\.1 200 /);
  });

  it('answers 408 to headers that stop coming, within the configured timeout', async () => {
    running = await startHttpServer(new SyncServer(), { port: 0, now: () => 0, headersTimeoutMs: 200 });
    const socket = await open(running.port);
    socket.write('GET /v1/tasks HTTP/1.1\r\nHost: x\r\n');
    expect(await closed(socket)).toMatch(/^HTTP\/1\.1 408 [\s\S]*"REQUEST_TIMEOUT"/);
  });
});
