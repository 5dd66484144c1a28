import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { HttpRequest } from '../../src/server/http.ts';
import { SyncServer, type ServerApplyEvent, type WireTask } from '../../src/server/server.ts';
import { decode } from './client.ts';

const USERS = ['alice', 'bob'] as const;
const TOKENS: Record<string, string> = { alice: 'tok-a', bob: 'tok-b' };

// A small id space, so random operations collide with real tasks often.
const taskId = fc.oneof({ weight: 6, arbitrary: fc.constantFrom('t1', 't2', 't3') }, { weight: 2, arbitrary: fc.constantFrom('t4', 't5', 't6') }, { weight: 1, arbitrary: fc.constant('nope') });
const clientId = fc.constantFrom('c1', 'c2', 'c3', 'c4');
const stamp = fc.oneof({ weight: 12, arbitrary: fc.integer({ min: 0, max: 40 }).map((n) => String(n).padStart(4, '0')) }, { weight: 1, arbitrary: fc.constant('') });
const device = fc.constantFrom('a', 'b', '');
/** Mostly the right type, sometimes anything: exercises the 400 paths. */
const sometimesWrong = <T>(valid: fc.Arbitrary<T>) => fc.oneof({ weight: 20, arbitrary: valid }, { weight: 1, arbitrary: fc.jsonValue() });

const optional = { requiredKeys: [] as [] };
const writeFields = {
  device: sometimesWrong(device),
  write: sometimesWrong(fc.constantFrom('phone#1', 'ipad#2')),
};
const createFields = fc
  .tuple(
    fc.record({ clientId: sometimesWrong(clientId), title: sometimesWrong(fc.constantFrom('a', 'b')), stamp: sometimesWrong(stamp) }),
    fc.record({ completed: sometimesWrong(fc.boolean()), ...writeFields }, optional),
  )
  .map(([required, rest]) => ({ ...required, ...rest }));
const updateFields = fc
  .tuple(
    fc.record({ stamp: sometimesWrong(stamp) }),
    fc.record({ title: sometimesWrong(fc.constantFrom('a', 'b', 'c')), completed: sometimesWrong(fc.boolean()), ...writeFields }, optional),
    // A version is sent now and then; a random one mostly conflicts.
    fc.oneof({ weight: 3, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: sometimesWrong(fc.integer({ min: 0, max: 4 })).map((version) => ({ version })) }),
  )
  .map(([required, rest, version]) => ({ ...required, ...rest, ...version }));
const deleteFields = fc.record({ stamp: sometimesWrong(stamp), ...writeFields }, optional);

const key = fc.constantFrom('k1', 'k2', 'k3');
const operation = fc.oneof(
  fc.tuple(createFields, fc.option(key)).map(([f, k]) => ({ type: 'create', ...f, ...(k !== null && { idempotencyKey: k }) })),
  fc.tuple(taskId, updateFields, fc.option(key)).map(([id, f, k]) => ({ type: 'update', id, ...f, ...(k !== null && { idempotencyKey: k }) })),
  fc.tuple(taskId, deleteFields).map(([id, f]) => ({ type: 'delete', id, ...f })),
  fc.record({ type: fc.constantFrom('junk', 'CREATE'), id: taskId }),
);
const batchBody = fc.record(
  {
    operations: fc.array(sometimesWrong(operation), { maxLength: 6 }),
    cursor: sometimesWrong(fc.integer({ min: 0, max: 20 })),
    limit: sometimesWrong(fc.integer({ min: 1, max: 5 })),
  },
  { requiredKeys: ['operations'] },
);

type Body = { body: HttpRequest['body']; gzip: boolean };
/** A JSON body as text (mostly) or gzip bytes. */
const encoded = (json: fc.Arbitrary<unknown>): fc.Arbitrary<Body> =>
  fc.tuple(json, fc.integer({ min: 0, max: 4 })).map(([value, coin]) =>
    // Gzip on the highest coin only, so counterexamples shrink to readable text.
    coin === 4 ? { body: new Uint8Array(gzipSync(JSON.stringify(value))), gzip: true } : { body: JSON.stringify(value), gzip: false },
  );
/** Anything at all: junk text, bytes (maybe claimed gzip), any JSON, nothing. */
const junkBody: fc.Arbitrary<Body> = fc.oneof(
  fc.string().map((text) => ({ body: text, gzip: false })),
  fc.tuple(fc.uint8Array({ maxLength: 40 }), fc.boolean()).map(([bytes, gzip]) => ({ body: bytes, gzip })),
  encoded(fc.jsonValue()),
  fc.constant({ body: null, gzip: false }),
);
const bodyOf = (json: fc.Arbitrary<unknown>) => fc.oneof({ weight: 8, arbitrary: encoded(json) }, { weight: 1, arbitrary: junkBody });

const query = fc.constantFrom('', '', '?since=0', '?since=2&limit=2', '?since=-1', '?limit=0', '?since=abc', '?limit=1000', '?since=3');
const noBody = fc.constant<Body>({ body: null, gzip: false });

/** A request aimed at a real route with a fitting body (most of the time), or anywhere with anything. */
const target: fc.Arbitrary<{ method: string; path: string; body: Body }> = fc.oneof(
  { weight: 6, arbitrary: bodyOf(createFields).map((body) => ({ method: 'POST', path: '/v1/tasks', body })) },
  { weight: 5, arbitrary: fc.tuple(taskId, bodyOf(updateFields)).map(([id, body]) => ({ method: 'PUT', path: `/v1/tasks/${id}`, body })) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(taskId, fc.oneof(noBody, bodyOf(deleteFields)))
      .map(([id, body]) => ({ method: 'DELETE', path: `/v1/tasks/${id}`, body })),
  },
  { weight: 2, arbitrary: taskId.map((id) => ({ method: 'GET', path: `/v1/tasks/${id}`, body: { body: null, gzip: false } })) },
  { weight: 3, arbitrary: query.map((q) => ({ method: 'GET', path: `/v1/tasks${q}`, body: { body: null, gzip: false } })) },
  { weight: 4, arbitrary: bodyOf(batchBody).map((body) => ({ method: 'POST', path: '/v1/sync/batch', body })) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom('GET', 'HEAD'), query)
      .map(([method, q]) => ({ method, path: `/v1/sync/status${q}`, body: { body: null, gzip: false } })),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'PATCH', 'OPTIONS', 'post'),
      path: fc
        .tuple(
          fc.oneof(
            fc.constantFrom('/v1/tasks', '/v1/sync/batch', '/v1/sync/status', '/v1/tasks/', '/v1', '/', '/v1/tasks/%E0%A4%A', '/v1/tasks/t1/x'),
            fc.string({ maxLength: 12 }),
          ),
          query,
        )
        .map(([p, q]) => p + q),
      body: fc.oneof(junkBody, encoded(fc.oneof(createFields, updateFields, batchBody))),
    }),
  },
);

const request: fc.Arbitrary<HttpRequest> = fc
  .record({
    target,
    token: fc.oneof({ weight: 8, arbitrary: fc.constant('tok-a') }, { weight: 3, arbitrary: fc.constant('tok-b') }, { weight: 1, arbitrary: fc.constantFrom('bad', null) }),
    key: fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom('k1', 'k2', '') }),
    acceptGzip: fc.boolean(),
    junk: fc.oneof(
      { weight: 8, arbitrary: fc.constant({}) },
      { weight: 1, arbitrary: fc.dictionary(fc.constantFrom('x-junk', 'content-type', 'content-encoding', 'accept-encoding'), fc.string({ maxLength: 8 }), { maxKeys: 2 }) },
    ),
  })
  .map(({ target, token, key, acceptGzip, junk }) => {
    const headers: Record<string, string> = { ...junk };
    if (token !== null) headers['authorization'] = `Bearer ${token}`;
    if (key !== null) headers['idempotency-key'] = key;
    if (acceptGzip) headers['accept-encoding'] = 'gzip';
    if (target.body.gzip) headers['content-encoding'] = 'gzip';
    return { method: target.method, path: target.path, headers, body: target.body.body };
  });

type Step =
  | { kind: 'request'; request: HttpRequest }
  | { kind: 'tick'; ms: number }
  | { kind: 'unavailable'; ms: number }
  | { kind: 'rateLimit'; capacity: number; refillPerSecond: number }
  | { kind: 'quota'; limit: number | null }
  | { kind: 'restart' };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 30, arbitrary: request.map((r) => ({ kind: 'request' as const, request: r })) },
  { weight: 5, arbitrary: fc.integer({ min: 0, max: 3_000 }).map((ms) => ({ kind: 'tick' as const, ms })) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 1_500 }).map((ms) => ({ kind: 'unavailable' as const, ms })) },
  {
    weight: 1,
    arbitrary: fc
      .record({ capacity: fc.integer({ min: 0, max: 4 }), refillPerSecond: fc.constantFrom(0, 0.5, 2) })
      .map((r) => ({ kind: 'rateLimit' as const, ...r })),
  },
  { weight: 1, arbitrary: fc.option(fc.integer({ min: 0, max: 4 })).map((limit) => ({ kind: 'quota' as const, limit })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'restart' as const }) },
);

/** What the test remembers between steps, to check that nothing goes backwards. */
interface Seen {
  tasks: Record<string, WireTask[]>;
  cursor: Record<string, number>;
}

function snapshot(server: SyncServer): Seen {
  return {
    tasks: Object.fromEntries(USERS.map((u) => [u, server.tasks(u)])),
    cursor: Object.fromEntries(USERS.map((u) => [u, server.cursor(u)])),
  };
}

function checkInvariants(before: Seen, after: Seen, events: ServerApplyEvent[]): void {
  for (const user of USERS) {
    const tasks = after.tasks[user] ?? [];
    const clientIds = tasks.map((t) => t.clientId);
    expect(new Set(clientIds).size, `one task per clientId for ${user}`).toBe(clientIds.length);
    const applied = events.filter((e) => e.user === user && e.result === 'applied').length;
    expect(after.cursor[user], `cursor of ${user} moves by one per applied write`).toBe((before.cursor[user] ?? 0) + applied);
    const now = new Map(tasks.map((t) => [t.id, t]));
    for (const old of before.tasks[user] ?? []) {
      const task = now.get(old.id);
      expect(task, `task ${old.id} never disappears`).toBeDefined();
      if (task === undefined) continue;
      expect(task.version).toBeGreaterThanOrEqual(old.version);
      if (JSON.stringify(task) !== JSON.stringify(old)) expect(task.version, `${old.id} changed without a new version`).toBeGreaterThan(old.version);
      if (old.deleted) expect(task.deleted, `tombstone ${old.id} came back`).toBe(true);
      expect([task.clientId, task.createdAt]).toEqual([old.clientId, old.createdAt]);
    }
  }
  let last = new Map<string, number>();
  for (const event of events) {
    expect(event.cursor).toBeGreaterThanOrEqual(last.get(event.user) ?? 0);
    last = last.set(event.user, event.cursor);
  }
}

/** After the run: a paged full pull must agree with the store. */
function checkFullPull(server: SyncServer, now: number): void {
  server.setRateLimit(null);
  server.setUnavailable(0);
  for (const user of USERS) {
    const live: string[] = [];
    const deleted: string[] = [];
    let since = 0;
    for (let page = 0; page < 100; page++) {
      const reply = decode(server.handle({ method: 'GET', path: `/v1/tasks?since=${since}&limit=2`, headers: { authorization: `Bearer ${TOKENS[user] ?? ''}` }, body: null }, now));
      expect(reply.status).toBe(200);
      live.push(...reply.json.data.tasks.map((t: WireTask) => t.id));
      deleted.push(...reply.json.data.deletedTaskIds);
      since = reply.json.data.nextCursor;
      if (!reply.json.data.hasMore) break;
    }
    const tasks = server.tasks(user);
    expect(live.sort()).toEqual(tasks.filter((t) => !t.deleted).map((t) => t.id).sort());
    expect(deleted.sort()).toEqual(tasks.filter((t) => t.deleted).map((t) => t.id).sort());
  }
}

/** SERVER_PROPERTY_STATS=1 prints how often each status and decision occurred, to keep the generators honest. */
const stats = new Map<string, number>();
function tally(status: number, fresh: ServerApplyEvent[]) {
  if (!process.env['SERVER_PROPERTY_STATS']) return;
  stats.set(String(status), (stats.get(String(status)) ?? 0) + 1);
  for (const e of fresh) stats.set(`${e.op}:${e.result}`, (stats.get(`${e.op}:${e.result}`) ?? 0) + 1);
}

describe('handle under arbitrary requests', () => {
  it('never throws, never fails with 5xx except 503 while unavailable, and keeps the store invariants', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 5, maxLength: 60, size: 'max' }), (steps) => {
        const events: ServerApplyEvent[] = [];
        const server = new SyncServer({ users: USERS.map((name) => ({ name, token: TOKENS[name] ?? '' })), onApply: (e) => events.push(e) });
        let now = 0;
        let unavailableUntil = 0;
        for (const s of steps) {
          switch (s.kind) {
            case 'tick':
              now += s.ms;
              break;
            case 'unavailable':
              unavailableUntil = now + s.ms;
              server.setUnavailable(unavailableUntil);
              break;
            case 'rateLimit':
              server.setRateLimit({ capacity: s.capacity, refillPerSecond: s.refillPerSecond });
              break;
            case 'quota':
              server.setQuota(s.limit);
              break;
            case 'restart':
              server.restart();
              break;
            case 'request': {
              const before = snapshot(server);
              const fresh = events.length;
              const response = server.handle(s.request, now);
              tally(response.status, events.slice(fresh));
              const after = snapshot(server);
              const status = response.status;
              if (status >= 500) expect([status, now < unavailableUntil]).toEqual([503, true]);
              const reply = decode(response);
              if (s.request.method.toUpperCase() === 'HEAD') expect(response.body).toBeNull();
              else if (status >= 400) {
                expect(reply.json.error).toMatchObject({ code: expect.any(String), message: expect.any(String), retryable: expect.any(Boolean) });
              }
              // An error reply never changes the store; a request changes only its own user's tasks.
              if (status >= 400) expect(after).toEqual(before);
              for (const user of USERS) {
                if (s.request.headers['authorization'] !== `Bearer ${TOKENS[user] ?? ''}`) expect(after.tasks[user]).toEqual(before.tasks[user]);
              }
              checkInvariants(before, after, events.slice(fresh));
              break;
            }
            default: {
              const never: never = s;
              throw new Error(`unknown step ${JSON.stringify(never)}`);
            }
          }
        }
        checkFullPull(server, now);
      }),
      // A fixed seed keeps the suite deterministic; FC_SEED=<n> explores other runs.
      { numRuns: 200, seed: Number(process.env['FC_SEED'] ?? 20_260_525) },
    );
    if (process.env['SERVER_PROPERTY_STATS']) console.log([...stats].sort().map(([k, v]) => `${k}=${v}`).join(' '));
  });
});
