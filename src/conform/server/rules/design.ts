import type { Exchange } from '../http-client.ts';
import { headerText } from '../http-client.ts';
import { expectErrorShape, expectStatus, expectThat, isObject, objectAt, type RuleContext, type ServerRule } from '../rule.ts';
import { readTask, taskOf } from '../user-api.ts';

/** RFC 3339 date-time, as the design's Swift client (`.iso8601`) reads it. */
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

function expectIso(value: unknown, what: string, exchange: Exchange): string {
  expectThat(typeof value === 'string' && ISO.test(value), `${what} is not an ISO-8601 date-time: ${JSON.stringify(value)}`, exchange);
  return value;
}

/** A task of the design's shape: isCompleted beside completed, ISO times, no empty extension fields. */
function expectDesignTask(value: unknown, what: string, exchange: Exchange): void {
  const task = readTask(value, what, exchange);
  const raw = task.raw;
  expectThat(typeof raw['isCompleted'] === 'boolean', `${what}: task ${task.id} has no boolean isCompleted`, exchange);
  if (raw['completed'] !== undefined) expectThat(raw['completed'] === raw['isCompleted'], `${what}: task ${task.id} has completed ${String(raw['completed'])} but isCompleted ${String(raw['isCompleted'])}`, exchange);
  expectIso(raw['createdAt'], `${what}: task ${task.id}'s createdAt`, exchange);
  expectIso(raw['updatedAt'], `${what}: task ${task.id}'s updatedAt`, exchange);
  for (const name of ['stamp', 'device', 'write']) {
    const field = raw[name];
    expectThat(field === undefined || (field !== null && field !== ''), `${what}: task ${task.id} has the extension ${name} as an empty placeholder (${JSON.stringify(field)})`, exchange);
  }
}

/** A design-dialect create: no stamp, no device; the design's isCompleted and clientTimestamp. */
async function designCreate(ctx: RuleContext, label: string, clientTimestamp: string) {
  const clientId = ctx.unique(label);
  const exchange = await ctx.a.send({ method: 'POST', path: '/v1/tasks', json: { clientId, title: clientId, isCompleted: false, clientTimestamp } });
  expectStatus(exchange, 201, 'a create in the design\'s form');
  return { clientId, exchange, task: taskOf(exchange, 'the design create') };
}

/** The design's serverTimestamp, from a delta pull (its syncMetadata): what a client sends as its next `since`. */
async function serverTimestamp(ctx: RuleContext): Promise<string> {
  const reply = await ctx.a.send({ method: 'GET', path: `/v1/tasks?since=${await ctx.a.cursor()}` });
  expectStatus(reply, 200, 'a pull');
  const meta = objectAt(objectAt(reply.json, 'data'), 'syncMetadata');
  expectThat(meta !== undefined, 'a delta pull has no data.syncMetadata', reply);
  return expectIso(meta['serverTimestamp'], 'data.syncMetadata.serverTimestamp', reply);
}

export const designRules: ServerRule[] = [
  {
    name: 'design/task-shape',
    says: "the design's wire format: { data } envelope, isCompleted (echoed beside completed), ISO-8601 createdAt/updatedAt, no empty placeholders for syncsim's extensions",
    dialect: 'design',
    async run(ctx) {
      const clientId = ctx.unique('design-shape');
      const made = await ctx.a.send({ method: 'POST', path: '/v1/tasks', json: { clientId, title: clientId, isCompleted: true, clientTimestamp: '2026-01-13T10:00:00Z' } });
      expectStatus(made, 201, 'a create with isCompleted and clientTimestamp');
      expectThat(isObject(made.json) && isObject(made.json['data']), 'the create reply is not the envelope { data: task }', made);
      expectDesignTask(made.json['data'], 'the design create', made);
      expectThat(made.json['data']['isCompleted'] === true, 'the create sent isCompleted: true but the task is not completed', made);
    },
  },
  {
    name: 'design/timestamps-lww',
    says: 'without a stamp, clientTimestamp is the LWW stamp, compared as instants, never as strings',
    dialect: 'design',
    async run(ctx) {
      const since = await ctx.a.cursor();
      const { task } = await designCreate(ctx, 'design-lww', '2026-01-13T10:00:00Z');
      // 17:00+02:00 is 15:00Z: earlier than 16:10:00.500Z, though later as text.
      const newer = await ctx.a.update(task.id, { title: 'at 16:10:00.500Z', clientTimestamp: '2026-01-13T16:10:00.500Z' });
      expectStatus(newer, 200, 'an update with a later clientTimestamp');
      const older = await ctx.a.update(task.id, { title: 'at 17:00+02:00', clientTimestamp: '2026-01-13T17:00:00+02:00' });
      expectStatus(older, [200, 409], 'an update with an earlier clientTimestamp (written in another zone)');
      const page = await ctx.a.changes(since);
      const now = page.tasks.find((t) => t.id === task.id);
      expectThat(now?.title === 'at 16:10:00.500Z', `the task reads ${JSON.stringify(now?.title)}: 17:00:00+02:00 (15:00Z) overwrote 16:10:00.500Z, compared as text`, older);
    },
  },
  {
    name: 'design/delta-since-timestamp',
    says: "GET /v1/tasks?since=<ISO-8601 serverTimestamp> answers data.tasks, data.deletedTaskIds and data.syncMetadata { serverTimestamp, hasMore }",
    dialect: 'design',
    async run(ctx) {
      const since = await serverTimestamp(ctx);
      const { task } = await designCreate(ctx, 'design-delta', '2026-01-13T10:00:00Z');
      const reply = await ctx.a.send({ method: 'GET', path: `/v1/tasks?since=${encodeURIComponent(since)}` });
      expectStatus(reply, 200, `a pull since the timestamp ${since}`);
      const data = objectAt(reply.json, 'data');
      expectThat(data !== undefined && Array.isArray(data['tasks']) && Array.isArray(data['deletedTaskIds']), 'the pull is not { data: { tasks, deletedTaskIds, syncMetadata } }', reply);
      const tasks = data['tasks'] as unknown[];
      for (const t of tasks) expectDesignTask(t, 'a task of the timestamp pull', reply);
      expectThat(tasks.some((t) => isObject(t) && t['id'] === task.id), `a pull since ${since} (a serverTimestamp from before the create) misses task ${task.id}`, reply);
      const meta = objectAt(data, 'syncMetadata');
      expectThat(meta !== undefined && typeof meta['hasMore'] === 'boolean', 'data.syncMetadata.hasMore is not a boolean', reply);
      expectIso(meta['serverTimestamp'], 'data.syncMetadata.serverTimestamp', reply);
    },
  },
  {
    name: 'design/batch',
    says: 'the batch { operations: [{ type, clientId, id, version, data }], lastSyncTimestamp } answers results [{ clientId, success, serverId }], deltaUpdates and serverTimestamp',
    dialect: 'design',
    async run(ctx) {
      const since = await serverTimestamp(ctx);
      const { task: doomed } = await designCreate(ctx, 'design-batch-doomed', '2026-01-13T10:00:00Z');
      const clientId = ctx.unique('design-batch');
      const operations = [
        { type: 'create', clientId, data: { title: clientId, isCompleted: false } },
        { type: 'update', id: doomed.id, version: doomed.version, data: { title: 'renamed in batch' } },
        { type: 'delete', id: doomed.id },
      ];
      const reply = await ctx.a.batch({ operations, lastSyncTimestamp: since });
      expectStatus(reply, 200, 'a batch in the design\'s form');
      const body = isObject(reply.json) ? reply.json : {};
      const results = Array.isArray(body['results']) ? body['results'] : [];
      expectThat(results.length === 3, `a design batch of 3 operations got ${results.length} results`, reply);
      for (const [i, result] of results.entries()) {
        expectThat(isObject(result) && result['success'] === true, `design batch result ${i} did not succeed`, reply);
        expectThat(typeof result['serverId'] === 'string', `design batch result ${i} has no serverId`, reply);
      }
      expectThat(isObject(results[0]) && results[0]['clientId'] === clientId, `design batch result 0 does not echo clientId ${clientId}`, reply);
      const delta = objectAt(body, 'deltaUpdates');
      expectThat(delta !== undefined && Array.isArray(delta['tasks']) && Array.isArray(delta['deletedTaskIds']), 'the design batch reply has no deltaUpdates { tasks, deletedTaskIds }', reply);
      expectThat((delta['tasks'] as unknown[]).some((t) => isObject(t) && t['clientId'] === clientId), `deltaUpdates since ${since} misses the task the batch created`, reply);
      expectThat((delta['deletedTaskIds'] as unknown[]).includes(doomed.id), `deltaUpdates since ${since} does not list task ${doomed.id}, deleted by the batch`, reply);
      expectIso(body['serverTimestamp'], 'the batch serverTimestamp', reply);
    },
  },
  {
    name: 'design/status',
    says: 'the status in the design\'s form: lastSyncTimestamp (ISO-8601) and serverVersion; HEAD\'s X-Last-Sync is ISO-8601',
    dialect: 'design',
    async run(ctx) {
      await designCreate(ctx, 'design-status', '2026-01-13T10:00:00Z');
      const get = await ctx.a.send({ method: 'GET', path: '/v1/sync/status' });
      expectStatus(get, 200, 'GET /v1/sync/status');
      const body = isObject(get.json) ? get.json : {};
      expectIso(body['lastSyncTimestamp'], 'the status lastSyncTimestamp', get);
      expectThat(body['serverVersion'] !== undefined, 'the status has no serverVersion', get);
      const head = await ctx.a.send({ method: 'HEAD', path: '/v1/sync/status' });
      expectStatus(head, 200, 'HEAD /v1/sync/status');
      expectIso(headerText(head.headers['x-last-sync']), 'the X-Last-Sync header', head);
    },
  },
  {
    name: 'design/conflict-fields',
    says: "a 409 VERSION_CONFLICT carries the design's currentVersion and serverData",
    dialect: 'design',
    async run(ctx) {
      const { task } = await designCreate(ctx, 'design-conflict', '2026-01-13T10:00:00Z');
      expectStatus(await ctx.a.update(task.id, { title: 'second', version: task.version, clientTimestamp: '2026-01-13T11:00:00Z' }), 200, 'an update at the current version');
      const stale = await ctx.a.update(task.id, { title: 'stale', version: task.version, clientTimestamp: '2026-01-13T12:00:00Z' });
      expectStatus(stale, 409, 'an update at a stale version');
      const error = expectErrorShape(stale, 'the 409', 'VERSION_CONFLICT');
      expectThat(typeof error['currentVersion'] === 'number' && error['currentVersion'] > task.version, `the 409's currentVersion is ${JSON.stringify(error['currentVersion'])}`, stale);
      expectDesignTask(error['serverData'], "the 409's serverData", stale);
    },
  },
];
