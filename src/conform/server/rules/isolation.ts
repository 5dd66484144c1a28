import type { Exchange } from '../http-client.ts';
import { expectStatus, expectThat, isObject, type RuleContext, type ServerRule } from '../rule.ts';
import { pageOf, taskOf, type SeenTask } from '../user-api.ts';
import { expectUnchanged } from './unchanged.ts';

/** A's task, made with a unique clientId and title, and B's cursor from before it existed. */
async function tasksOfA(ctx: RuleContext): Promise<{ task: SeenTask; sinceA: number; sinceB: number }> {
  const sinceA = await ctx.a.cursor();
  const sinceB = await ctx.b.cursor();
  const task = await ctx.a.createNew(ctx.unique('isolated'), ctx.unique('secret title of A'));
  return { task, sinceA, sinceB };
}

/** B's reply shows nothing of A's task: its unique title appears nowhere in it. */
function expectNothingOf(task: SeenTask, exchange: Exchange, what: string): void {
  expectThat(!exchange.text.includes(task.title), `${what}: user B's reply contains the title of user A's task ${task.id}`, exchange);
}

export const isolationRules: ServerRule[] = [
  {
    name: 'isolation/by-id',
    says: "no request reads or changes another user's task: GET, PUT and DELETE of its id are 404 for them",
    dialect: 'both',
    async run(ctx) {
      const { task, sinceA } = await tasksOfA(ctx);
      const path = `/v1/tasks/${encodeURIComponent(task.id)}`;
      const read = await ctx.b.send({ method: 'GET', path });
      // A server without GET /v1/tasks/{id} (an extension) may answer 405; never 200.
      expectStatus(read, [404, 405], `user B reads user A's task ${task.id}`);
      expectNothingOf(task, read, `GET ${path}`);
      const update = await ctx.b.update(task.id, { title: 'changed by B', version: task.version, stamp: 's-999', device: 'zzz' });
      expectStatus(update, 404, `user B updates user A's task ${task.id}`);
      expectNothingOf(task, update, `PUT ${path}`);
      const remove = await ctx.b.remove(task.id);
      expectStatus(remove, 404, `user B deletes user A's task ${task.id}`);
      expectNothingOf(task, remove, `DELETE ${path}`);
      await expectUnchanged(ctx.a, sinceA, task, undefined, "after user B's requests");
    },
  },
  {
    name: 'isolation/client-id',
    says: "a clientId is scoped to its user: another user's create with it makes their own task (or is refused), never returns this one",
    dialect: 'both',
    async run(ctx) {
      const { task, sinceA } = await tasksOfA(ctx);
      const exchange = await ctx.b.send({ method: 'POST', path: '/v1/tasks', json: { clientId: task.clientId, title: 'B’s own task', completed: false, stamp: 's-001' } });
      expectNothingOf(task, exchange, 'POST /v1/tasks');
      // Per-user clientIds make B a task of its own (201); a server with global clientIds may refuse it (4xx). Never A's task.
      const refused = exchange.status >= 400 && exchange.status < 500;
      if (!refused) {
        expectStatus(exchange, 201, `user B creates a task with user A's clientId ${task.clientId}`);
        expectThat(taskOf(exchange, "user B's create").id !== task.id, `user B's create with user A's clientId returned user A's task ${task.id}`, exchange);
      }
      const batch = await ctx.b.batch({ operations: [{ type: 'create', clientId: task.clientId, title: 'B’s own task', stamp: 's-001' }], cursor: await ctx.b.cursor() });
      expectStatus(batch, 200, "user B's batch create with user A's clientId");
      expectNothingOf(task, batch, 'POST /v1/sync/batch');
      const result = isObject(batch.json) && Array.isArray(batch.json['results']) ? batch.json['results'][0] : undefined;
      const id = isObject(result) ? (result['id'] ?? result['serverId']) : undefined;
      expectThat(id !== task.id, `user B's batch create with user A's clientId answered user A's task id ${task.id}`, batch);
      await expectUnchanged(ctx.a, sinceA, task, undefined, "after user B's creates");
    },
  },
  {
    name: 'isolation/delta',
    says: "a user's delta pulls, batch deltas and status never show another user's tasks",
    dialect: 'both',
    async run(ctx) {
      const { task, sinceB } = await tasksOfA(ctx);
      await ctx.a.remove(task.id);
      const pull = await ctx.b.send({ method: 'GET', path: `/v1/tasks?since=${sinceB}` });
      expectStatus(pull, 200, "user B's delta pull");
      expectNothingOf(task, pull, `GET /v1/tasks?since=${sinceB}`);
      const page = pageOf(pull, "user B's delta pull");
      expectThat(!page.tasks.some((t) => t.id === task.id) && !page.deletedTaskIds.includes(task.id), `user B's delta pull lists user A's task ${task.id}`, pull);
      const batch = await ctx.b.batch({ operations: [], cursor: sinceB });
      expectStatus(batch, 200, "user B's empty batch");
      expectNothingOf(task, batch, 'POST /v1/sync/batch');
      const delta = isObject(batch.json) ? (batch.json['delta'] ?? batch.json['deltaUpdates']) : undefined;
      const deleted = isObject(delta) && Array.isArray(delta['deletedTaskIds']) ? delta['deletedTaskIds'] : [];
      expectThat(!deleted.includes(task.id), `user B's batch delta lists user A's deleted task ${task.id}`, batch);
      const status = await ctx.b.send({ method: 'GET', path: '/v1/sync/status' });
      expectNothingOf(task, status, 'GET /v1/sync/status');
    },
  },
  {
    name: 'isolation/batch',
    says: "batch operations on another user's task ids fail with 404, one result each, and change nothing",
    dialect: 'both',
    async run(ctx) {
      const { task, sinceA } = await tasksOfA(ctx);
      const batch = await ctx.b.batch({
        operations: [
          { type: 'update', id: task.id, title: 'changed by B', version: task.version, stamp: 's-999', device: 'zzz' },
          { type: 'delete', id: task.id },
        ],
        cursor: await ctx.b.cursor(),
      });
      expectStatus(batch, 200, "user B's batch on user A's task");
      expectNothingOf(task, batch, 'POST /v1/sync/batch');
      const results = isObject(batch.json) && Array.isArray(batch.json['results']) ? batch.json['results'] : [];
      expectThat(results.length === 2, `user B's batch of 2 operations got ${results.length} results`, batch);
      for (const [i, result] of results.entries()) {
        expectThat(isObject(result) && result['success'] === false, `user B's batch operation ${i} on user A's task ${task.id} succeeded`, batch);
        // The design's results carry no status; syncsim's do, and it must be the 404 of a task that is not there.
        const status = result['status'];
        expectThat(status === undefined || status === 404, `user B's batch operation ${i} on user A's task: expected status 404, got ${JSON.stringify(status)}`, batch);
      }
      await expectUnchanged(ctx.a, sinceA, task, undefined, "after user B's batch");
    },
  },
];
