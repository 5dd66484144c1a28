import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { world } from './client.ts';

describe('sync status', () => {
  it('GET answers the cursor, the server version and time, and whether anything is new', () => {
    const w = world();
    expect(w.call('GET', '/v1/sync/status').json).toMatchObject({ cursor: 0, serverVersion: '1', serverTime: w.now, hasUpdates: false });
    w.create('c1', 'a');
    w.create('c2', 'b');
    expect(w.call('GET', '/v1/sync/status?since=1').json).toMatchObject({ cursor: 2, hasUpdates: true });
    expect(w.call('GET', '/v1/sync/status?since=2').json.hasUpdates).toBe(false);
    expect(w.call('GET', '/v1/sync/status?since=x').status).toBe(400);
  });

  it('HEAD answers headers only', () => {
    const w = world();
    w.tick(500);
    w.create('c1', 'a');
    const changedAt = w.now;
    w.tick(500);
    const head = w.server.handle({ method: 'HEAD', path: '/v1/sync/status?since=0', headers: { authorization: 'Bearer tok-a' }, body: null }, w.now);
    expect(head.status).toBe(200);
    expect(head.body).toBeNull();
    expect(head.headers).toMatchObject({ 'x-has-updates': 'true', 'x-last-sync': new Date(changedAt).toISOString(), 'x-pending-count': '1', 'x-cursor': '1' });
    expect(w.call('HEAD', '/v1/sync/status?since=1').headers['x-has-updates']).toBe('false');
    const bad = w.server.handle({ method: 'HEAD', path: '/v1/sync/status?since=-3', headers: { authorization: 'Bearer tok-a' }, body: null }, w.now);
    expect(bad.status).toBe(400);
    expect(bad.body).toBeNull();
  });
});

describe('faults', () => {
  it('answers 503 with Retry-After in whole seconds (rounded up) while unavailable, then recovers', () => {
    const w = world();
    w.server.setUnavailable(w.now + 2_500);
    const reply = w.call('GET', '/v1/tasks', { token: null });
    expect(reply.status).toBe(503);
    expect(reply.headers['retry-after']).toBe('3');
    expect(reply.json.error).toMatchObject({ code: 'SERVICE_UNAVAILABLE', retryable: true, retryAfter: 3 });
    expect(w.create('c1', 'a').status).toBe(503);
    expect(w.server.tasks('alice')).toEqual([]);
    w.tick(2_000);
    expect(w.call('GET', '/v1/tasks').headers['retry-after']).toBe('1');
    w.tick(500);
    expect(w.call('GET', '/v1/tasks').status).toBe(200);
  });

  it('rate-limits per user with a token bucket refilled by server time', () => {
    const w = world();
    w.server.setRateLimit({ capacity: 2, refillPerSecond: 0.5 });
    expect([1, 2].map(() => w.call('GET', '/v1/tasks').status)).toEqual([200, 200]);
    const limited = w.call('GET', '/v1/tasks');
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('2');
    expect(limited.json.error).toMatchObject({ code: 'RATE_LIMITED', retryable: true });
    // Bob has his own bucket; unauthenticated requests are 401 before the limit.
    expect(w.call('GET', '/v1/tasks', { token: 'tok-b' }).status).toBe(200);
    expect(w.call('GET', '/v1/tasks', { token: 'bad' }).status).toBe(401);
    w.tick(1_000);
    expect(w.call('GET', '/v1/tasks').headers['retry-after']).toBe('1');
    w.tick(1_000);
    expect(w.call('GET', '/v1/tasks').status).toBe(200);
    w.server.setRateLimit({ capacity: 0, refillPerSecond: 1 });
    expect([1, 2, 3, 4].every(() => w.call('GET', '/v1/tasks').status === 200)).toBe(true);
  });

  it('restart refills the buckets but keeps tasks, idempotency keys and cursors', () => {
    const w = world();
    w.server.setRateLimit({ capacity: 1, refillPerSecond: 0 });
    w.create('c1', 'a', '0001', {}, { headers: { 'idempotency-key': 'k' } });
    expect(w.call('GET', '/v1/tasks').status).toBe(429);
    const before = w.server.tasks('alice');
    w.server.restart();
    const replay = w.create('c1', 'a', '0001', {}, { headers: { 'idempotency-key': 'k' } });
    expect(replay.json.meta).toEqual({ idempotent: true });
    expect(w.server.tasks('alice')).toEqual(before);
    expect(w.server.cursor('alice')).toBe(1);
    expect(w.call('GET', '/v1/sync/status').status).toBe(429);
  });
});

describe('gzip', () => {
  it('gunzips request bodies and gzips replies when asked', () => {
    const w = world();
    const body = gzipSync(JSON.stringify({ clientId: 'c1', title: 'zipped', stamp: '1' }));
    const reply = w.server.handle(
      { method: 'POST', path: '/v1/tasks', headers: { authorization: 'Bearer tok-a', 'content-encoding': 'gzip', 'accept-encoding': 'br, gzip;q=0.8' }, body },
      w.now,
    );
    expect(reply.status).toBe(201);
    expect(reply.headers['content-encoding']).toBe('gzip');
    expect(reply.body).toBeInstanceOf(Uint8Array);
    const text = gunzipSync(reply.body as Uint8Array).toString('utf8');
    expect(JSON.parse(text).data.title).toBe('zipped');
  });

  it('leaves replies plain without accept-encoding gzip or with q=0', () => {
    const w = world();
    for (const accept of [undefined, 'identity', 'gzip;q=0', 'br']) {
      const reply = w.server.handle(
        { method: 'GET', path: '/v1/tasks', headers: { authorization: 'Bearer tok-a', ...(accept && { 'accept-encoding': accept }) }, body: null },
        w.now,
      );
      expect(typeof reply.body, String(accept)).toBe('string');
      expect(reply.headers['content-encoding']).toBeUndefined();
    }
  });
});
