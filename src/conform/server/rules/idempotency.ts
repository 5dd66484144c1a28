import { expectErrorShape, expectStatus, expectThat, isObject, type ServerRule } from '../rule.ts';
import { taskOf, type UserApi } from '../user-api.ts';

/** The tasks with `clientId` among the changes after `since`. */
async function tasksWithClientId(user: UserApi, since: number, clientId: string) {
  const page = await user.changes(since);
  return { found: page.tasks.filter((t) => t.clientId === clientId), exchange: page.exchange };
}

export const idempotencyRules: ServerRule[] = [
  {
    name: 'idempotency/client-id',
    says: 'a repeat of a create with the same clientId (single call or batch) returns the original task, never a second one',
    dialect: 'both',
    async run(ctx) {
      const since = await ctx.a.cursor();
      const clientId = ctx.unique('retry');
      const body = { clientId, title: clientId, completed: false, stamp: 's-001', device: 'conform' };
      const first = await ctx.a.create(body);
      expectStatus(first.exchange, 201, 'the first create');
      const again = await ctx.a.create(body);
      expectThat(again.task.id === first.task.id, `a repeated create of clientId ${clientId} made task ${again.task.id} beside ${first.task.id}`, again.exchange);
      const batch = await ctx.a.batch({ operations: [{ type: 'create', ...body }], cursor: since });
      expectStatus(batch, 200, 'a batch repeating the create');
      const result = isObject(batch.json) && Array.isArray(batch.json['results']) ? batch.json['results'][0] : undefined;
      const id = isObject(result) ? (result['id'] ?? result['serverId']) : undefined;
      expectThat(id === first.task.id, `a batch repeating the create of clientId ${clientId} answered task ${JSON.stringify(id)}, not ${first.task.id}`, batch);
      const { found, exchange } = await tasksWithClientId(ctx.a, since, clientId);
      expectThat(found.length === 1, `${found.length} tasks have clientId ${clientId} after three creates of it`, exchange);
    },
  },
  {
    name: 'idempotency/key-create',
    says: 'a create repeated with the same Idempotency-Key and body returns the original task',
    dialect: 'both',
    async run(ctx) {
      const since = await ctx.a.cursor();
      const clientId = ctx.unique('keyed');
      const key = ctx.unique('key');
      const body = { clientId, title: clientId, completed: false, stamp: 's-001' };
      const first = await ctx.a.create(body, { 'idempotency-key': key });
      expectStatus(first.exchange, 201, 'the first create with an Idempotency-Key');
      const again = await ctx.a.create(body, { 'idempotency-key': key });
      expectThat(again.task.id === first.task.id, `a create repeated with Idempotency-Key ${key} made task ${again.task.id} beside ${first.task.id}`, again.exchange);
      const { found, exchange } = await tasksWithClientId(ctx.a, since, clientId);
      expectThat(found.length === 1, `${found.length} tasks have clientId ${clientId} after a keyed create and its replay`, exchange);
    },
  },
  {
    name: 'idempotency/key-update',
    says: 'a write repeated with the same Idempotency-Key is answered as the first time, not applied again (an update replay is not a 409 nor a second version)',
    dialect: 'both',
    async run(ctx) {
      const task = await ctx.a.createNew(ctx.unique('keyed-update'));
      const since = await ctx.a.cursor();
      const key = ctx.unique('key');
      const body = { title: `${task.title} renamed`, version: task.version, stamp: 's-002', device: 'conform' };
      const first = await ctx.a.update(task.id, body, { 'idempotency-key': key });
      expectStatus(first, 200, 'the first keyed update');
      const applied = taskOf(first, 'the first keyed update');
      const again = await ctx.a.update(task.id, body, { 'idempotency-key': key });
      expectStatus(again, 200, `the update replayed with Idempotency-Key ${key} (the key's recorded reply)`);
      const replayed = taskOf(again, 'the replayed update');
      expectThat(replayed.version === applied.version, `the replayed update answered version ${replayed.version}, the first ${applied.version}`, again);
      const page = await ctx.a.changes(since);
      const stored = page.tasks.find((t) => t.id === task.id);
      expectThat(stored?.version === applied.version, `after the replay task ${task.id} is at version ${stored?.version ?? 'none'}, not the first update's ${applied.version}`, page.exchange);
    },
  },
  {
    name: 'idempotency/key-reuse-422',
    says: 'an Idempotency-Key reused with another body is 422, and the second body is not applied',
    dialect: 'both',
    async run(ctx) {
      const since = await ctx.a.cursor();
      const key = ctx.unique('key');
      const first = ctx.unique('first');
      const second = ctx.unique('second');
      const made = await ctx.a.create({ clientId: first, title: first, completed: false, stamp: 's-001' }, { 'idempotency-key': key });
      expectStatus(made.exchange, 201, 'the first create with the key');
      const reuse = await ctx.a.send({ method: 'POST', path: '/v1/tasks', json: { clientId: second, title: second, completed: false, stamp: 's-001' }, headers: { 'idempotency-key': key } });
      expectStatus(reuse, 422, `a create with Idempotency-Key ${key} and another body`);
      expectErrorShape(reuse, 'the 422');
      const { found, exchange } = await tasksWithClientId(ctx.a, since, second);
      expectThat(found.length === 0, `the refused body was applied anyway: task ${found[0]?.id ?? ''} has clientId ${second}`, exchange);
    },
  },
];
