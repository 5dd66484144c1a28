import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { judgeRun } from '../../src/check/index.ts';
import { UNPARSED } from '../../src/server/listen.ts';
import { startLiveServer } from '../../src/serve/live-server.ts';
import { parseTrace, type AnyTraceEvent } from '../../src/trace/index.ts';
import { auth } from './serve-process.ts';

/** Sends raw bytes and reads until the server closes (bounded in time). */
function rawExchange(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    const timer = setTimeout(() => (socket.destroy(), reject(new Error('no reply within 5 s'))), 5000);
    socket.on('data', (chunk) => (reply += chunk.toString('latin1')));
    socket.on('close', () => (clearTimeout(timer), resolve(reply)));
    socket.on('error', () => undefined);
    socket.write(bytes);
  });
}

type Message = AnyTraceEvent & { msg: number; from: string; to: string; method: string; path: string; reply?: number; status?: number };

/**
 * The requests node:http answers before the model sees them are in `serve --trace` too:
 * a trace that left out the 413s would tell a reviewer that a client never sent them.
 */
describe('serve --trace records the requests the HTTP layer refuses', () => {
  const dir = mkdtempSync(join(tmpdir(), 'syncsim-refused-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('traces a 413, a CONNECT and a malformed request as request and reply, and check judges the trace', async () => {
    const traceFile = join(dir, 'refused.jsonl');
    const server = await startLiveServer({ port: 0, host: '127.0.0.1', users: [{ name: 'demo', token: 'demo-token' }], traceFile, dataFile: join(dir, 'store.journal') });
    const base = `http://127.0.0.1:${server.port}`;
    const huge = JSON.stringify({ clientId: 'big', title: 'x'.repeat(2 << 20), stamp: '1' });
    const tooLarge = await fetch(`${base}/v1/tasks`, { method: 'POST', headers: auth('demo-token', { 'x-device-id': 'phone' }), body: huge });
    expect(tooLarge.status).toBe(413);
    await tooLarge.arrayBuffer();
    const ok = await fetch(`${base}/v1/tasks`, { method: 'POST', headers: auth('demo-token', { 'x-device-id': 'phone' }), body: JSON.stringify({ clientId: 'small', title: 't', stamp: '1' }) });
    expect(ok.status).toBe(201);
    await ok.arrayBuffer();
    expect(await rawExchange(server.port, 'CONNECT example.com:443 HTTP/1.1\r\nhost: example.com\r\n\r\n')).toMatch(/^HTTP\/1\.1 405/);
    expect(await rawExchange(server.port, 'NOT A REQUEST\r\n\r\n')).toMatch(/^HTTP\/1\.1 (400|405)/);
    await server.close();

    const events = parseTrace(readFileSync(traceFile, 'utf8'));
    const sends = events.filter((e) => e.type === 'msg.send') as Message[];
    const replyTo = (request: Message) => sends.find((s) => s.reply === request.msg);
    const large = sends.find((s) => s.from === 'phone' && s.method === 'POST' && replyTo(s)?.status === 413);
    expect(large, 'the 413 is traced with its client').toBeDefined();
    expect(large).toMatchObject({ to: 'server', path: '/v1/tasks' });
    const tunnel = sends.find((s) => s.method === 'CONNECT');
    expect(tunnel).toMatchObject({ from: 'anonymous', path: 'example.com:443' });
    expect(replyTo(tunnel!)?.status).toBe(405);
    const garbage = sends.find((s) => s.method === UNPARSED);
    expect([400, 405]).toContain(replyTo(garbage!)?.status);
    // Each refused request and its reply were delivered; nothing was applied for them.
    for (const request of [large!, tunnel!, garbage!]) {
      expect(events.some((e) => e.type === 'msg.deliver' && (e as Message).msg === request.msg)).toBe(true);
      expect(events.some((e) => e.type === 'server.apply' && (e as { msg?: number }).msg === request.msg)).toBe(false);
    }
    expect(events.filter((e) => e.type === 'server.apply')).toHaveLength(1);

    const verdict = judgeRun(events);
    expect(verdict.recorded.find((r) => r.checker === 'server-errors')?.ok).toBe(true);
    expect(verdict.ok).toBe(true);
  }, 30_000);
});
