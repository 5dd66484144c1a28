import { expectErrorShape, expectStatus, type ServerRule } from '../rule.ts';

export const errorRules: ServerRule[] = [
  {
    name: 'errors/malformed-json',
    says: 'malformed JSON is 400 with { error: { code, message, retryable } }, on every endpoint with a body',
    dialect: 'both',
    async run(ctx) {
      const task = await ctx.a.createNew(ctx.unique('malformed'));
      const broken = '{"clientId": "x", "title": ';
      for (const [method, path] of [['POST', '/v1/tasks'], ['PUT', `/v1/tasks/${encodeURIComponent(task.id)}`], ['POST', '/v1/sync/batch']] as const) {
        const reply = await ctx.a.send({ method, path, raw: broken });
        expectStatus(reply, 400, `${method} ${path} with malformed JSON`);
        expectErrorShape(reply, `${method} ${path} with malformed JSON`);
      }
    },
  },
  {
    name: 'errors/wrong-type',
    says: 'a field of the wrong type is 400 with the JSON error, and nothing is stored',
    dialect: 'both',
    async run(ctx) {
      const task = await ctx.a.createNew(ctx.unique('typed'));
      const cases: Array<[string, string, unknown]> = [
        ['POST', '/v1/tasks', { clientId: 7, title: 'a number as clientId', stamp: 's-001' }],
        ['POST', '/v1/tasks', { clientId: ctx.unique('typed'), title: 42, stamp: 's-001' }],
        ['POST', '/v1/tasks', ['not', 'an', 'object']],
        ['PUT', `/v1/tasks/${encodeURIComponent(task.id)}`, { title: 'x', version: 'one', stamp: 's-002' }],
        ['PUT', `/v1/tasks/${encodeURIComponent(task.id)}`, { completed: 'yes', stamp: 's-002' }],
        ['POST', '/v1/sync/batch', { operations: 'not a list' }],
      ];
      for (const [method, path, json] of cases) {
        const reply = await ctx.a.send({ method, path, json });
        expectStatus(reply, 400, `${method} ${path} with ${JSON.stringify(json)}`);
        expectErrorShape(reply, `${method} ${path} with a wrong type`);
      }
    },
  },
  {
    name: 'errors/bad-query',
    says: 'a query parameter that is not a cursor or a page size (since=abc, limit=0) is 400 with the JSON error',
    dialect: 'both',
    async run(ctx) {
      for (const query of ['since=abc', 'since=-1', 'limit=0', 'limit=many']) {
        const reply = await ctx.a.send({ method: 'GET', path: `/v1/tasks?${query}` });
        expectStatus(reply, 400, `GET /v1/tasks?${query}`);
        expectErrorShape(reply, `GET /v1/tasks?${query}`);
      }
    },
  },
  {
    name: 'errors/not-found',
    says: 'an unknown path, and a task id that does not exist, are 404 with the JSON error',
    dialect: 'both',
    async run(ctx) {
      const missing = encodeURIComponent(ctx.unique('missing'));
      const requests = [
        { method: 'GET', path: `/v1/${missing}` },
        { method: 'PUT', path: `/v1/tasks/${missing}`, json: { title: 'x', stamp: 's-002' } },
        { method: 'DELETE', path: `/v1/tasks/${missing}` },
      ];
      for (const request of requests) {
        const reply = await ctx.a.send(request);
        expectStatus(reply, 404, `${request.method} ${request.path}`);
        expectErrorShape(reply, `${request.method} ${request.path}`);
      }
    },
  },
];
