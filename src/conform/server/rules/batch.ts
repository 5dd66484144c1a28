import type { Exchange } from '../http-client.ts';
import { expectStatus, expectThat, isObject, type RuleContext, type ServerRule } from '../rule.ts';
import { pageOf } from '../user-api.ts';

/** A batch of every kind of operation, one of them on a task that does not exist, sent with the cursor from before it. */
async function mixedBatch(ctx: RuleContext) {
  const since = await ctx.a.cursor();
  const existing = await ctx.a.createNew(ctx.unique('batch-existing'));
  const c1 = ctx.unique('batch-new-1');
  const c2 = ctx.unique('batch-new-2');
  const missing = ctx.unique('no-such-task');
  const operations = [
    { type: 'create', clientId: c1, title: c1, completed: false, stamp: 's-001' },
    { type: 'update', id: existing.id, title: 'updated in batch', stamp: 's-002', device: 'conform' },
    { type: 'create', clientId: c2, title: c2, completed: true, stamp: 's-001' },
    { type: 'update', id: missing, title: 'nothing', stamp: 's-002' },
    { type: 'delete', id: existing.id },
  ];
  const reply = await ctx.a.batch({ operations, cursor: since });
  expectStatus(reply, 200, 'a batch of five operations');
  const results = isObject(reply.json) && Array.isArray(reply.json['results']) ? reply.json['results'] : undefined;
  expectThat(results !== undefined, 'the batch reply has no results array', reply);
  return { since, existing, c1, c2, missing, reply, results };
}

function resultAt(results: unknown[], i: number, reply: Exchange): Record<string, unknown> {
  const result = results[i];
  expectThat(isObject(result), `batch result ${i} is not an object`, reply);
  if (result['index'] !== undefined) expectThat(result['index'] === i, `batch result ${i} says index ${JSON.stringify(result['index'])}: results out of order`, reply);
  return result;
}

const idOf = (result: Record<string, unknown>) => result['id'] ?? result['serverId'];

export const batchRules: ServerRule[] = [
  {
    name: 'batch/results-in-order',
    says: 'POST /v1/sync/batch runs the operations in order and answers one result per operation, in order, a failed one failing alone',
    dialect: 'both',
    async run(ctx) {
      const { existing, c1, c2, missing, reply, results } = await mixedBatch(ctx);
      expectThat(results.length === 5, `a batch of 5 operations got ${results.length} results`, reply);
      const [r0, r1, r2, r3, r4] = [0, 1, 2, 3, 4].map((i) => resultAt(results, i, reply)) as [Record<string, unknown>, Record<string, unknown>, Record<string, unknown>, Record<string, unknown>, Record<string, unknown>];
      expectThat(r0['success'] === true && r0['clientId'] === c1, `result 0 is not the successful create of ${c1}`, reply);
      expectThat(r1['success'] === true && idOf(r1) === existing.id, `result 1 is not the successful update of ${existing.id}`, reply);
      expectThat(r2['success'] === true && r2['clientId'] === c2, `result 2 is not the successful create of ${c2}`, reply);
      expectThat(idOf(r0) !== idOf(r2) && typeof idOf(r0) === 'string', 'the two creates answered the same task id (or none)', reply);
      expectThat(r3['success'] === false, `result 3, an update of the missing task ${missing}, succeeded`, reply);
      expectThat(r3['status'] === undefined || r3['status'] === 404, `result 3, an update of a missing task, has status ${JSON.stringify(r3['status'])}, not 404`, reply);
      expectThat(r4['success'] === true && idOf(r4) === existing.id, `result 4 is not the successful delete of ${existing.id}: operation 3's failure stopped the batch`, reply);
    },
  },
  {
    name: 'batch/delta',
    says: 'the batch reply carries the delta since its cursor, with the operations it just applied (creates live, deletes as tombstones)',
    dialect: 'syncsim',
    async run(ctx) {
      const { since, existing, c1, c2, reply } = await mixedBatch(ctx);
      const body = isObject(reply.json) ? reply.json : {};
      expectThat(isObject(body['delta']), 'the batch reply (sent with cursor) has no delta object', reply);
      const delta = pageOf(reply, 'the batch delta', body['delta']);
      for (const clientId of [c1, c2]) {
        expectThat(delta.tasks.some((t) => t.clientId === clientId), `the batch delta since ${since} misses the task it created with clientId ${clientId}`, reply);
      }
      expectThat(delta.deletedTaskIds.includes(existing.id), `the batch delta since ${since} does not list task ${existing.id}, deleted by the batch's last operation`, reply);
      expectThat(!delta.tasks.some((t) => t.id === existing.id), `the batch delta lists task ${existing.id} as live after the batch deleted it`, reply);
      const cursor = body['cursor'];
      if (cursor !== undefined) expectThat(typeof cursor === 'number' && cursor >= delta.nextCursor, `the batch reply's cursor ${JSON.stringify(cursor)} is behind its delta's nextCursor ${delta.nextCursor}`, reply);
    },
  },
];
