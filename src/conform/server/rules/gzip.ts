import { gunzipSync } from 'node:zlib';
import { headerText } from '../http-client.ts';
import { expectStatus, expectThat, type ServerRule } from '../rule.ts';
import { pageOf, taskOf } from '../user-api.ts';

export const gzipRules: ServerRule[] = [
  {
    name: 'gzip/request',
    says: 'a request body sent with Content-Encoding: gzip is read as its JSON (single calls and batches)',
    dialect: 'both',
    async run(ctx) {
      const clientId = ctx.unique('gzipped');
      const made = await ctx.a.send({ method: 'POST', path: '/v1/tasks', json: { clientId, title: clientId, completed: false, stamp: 's-001' }, gzipBody: true });
      expectStatus(made, 201, 'a gzipped create');
      const task = taskOf(made, 'the gzipped create');
      expectThat(task.clientId === clientId && task.title === clientId, `the gzipped create made a task with title ${JSON.stringify(task.title)}`, made);
      const batch = await ctx.a.send({ method: 'POST', path: '/v1/sync/batch', json: { operations: [{ type: 'update', id: task.id, title: 'gzipped update', stamp: 's-002', device: 'conform' }], cursor: 0 }, gzipBody: true });
      expectStatus(batch, 200, 'a gzipped batch');
      expectThat(batch.text.includes('gzipped update'), 'the gzipped batch did not apply its update', batch);
    },
  },
  {
    name: 'gzip/reply',
    says: 'a request with Accept-Encoding: gzip gets a gzipped reply (Content-Encoding: gzip); one without gets plain JSON',
    dialect: 'both',
    async run(ctx) {
      const since = await ctx.a.cursor();
      await ctx.a.createNew(ctx.unique('gzip-reply'));
      const path = `/v1/tasks?since=${since}`;
      const zipped = await ctx.a.send({ method: 'GET', path, headers: { 'accept-encoding': 'gzip' } });
      expectStatus(zipped, 200, 'a pull accepting gzip');
      expectThat(headerText(zipped.headers['content-encoding'])?.toLowerCase() === 'gzip', `a pull with Accept-Encoding: gzip answered Content-Encoding ${JSON.stringify(zipped.headers['content-encoding'] ?? null)}`, zipped);
      let body: unknown;
      try {
        body = JSON.parse(gunzipSync(zipped.raw).toString('utf8')) as unknown;
      } catch (error) {
        return expectThat(false, `the reply marked gzip does not gunzip to JSON: ${(error as Error).message}`, zipped);
      }
      pageOf(zipped, 'the gunzipped pull', body);
      const plain = await ctx.a.send({ method: 'GET', path });
      const encoding = headerText(plain.headers['content-encoding'])?.toLowerCase();
      expectThat(encoding === undefined || encoding === 'identity', `a pull without Accept-Encoding answered Content-Encoding ${encoding ?? ''}`, plain);
      expectThat(plain.json !== undefined, 'a pull without Accept-Encoding is not plain JSON', plain);
    },
  },
];
