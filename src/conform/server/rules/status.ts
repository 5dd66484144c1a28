import { headerText } from '../http-client.ts';
import { expectStatus, expectThat, isObject, type ServerRule } from '../rule.ts';

export const statusRules: ServerRule[] = [
  {
    name: 'status/get',
    says: 'GET /v1/sync/status answers the server cursor and server version, and whether anything changed after the caller\'s since',
    dialect: 'syncsim',
    async run(ctx) {
      const before = await ctx.a.cursor();
      await ctx.a.createNew(ctx.unique('status'));
      const changed = await ctx.a.send({ method: 'GET', path: `/v1/sync/status?since=${before}` });
      expectStatus(changed, 200, 'GET /v1/sync/status after a change');
      const body = isObject(changed.json) ? changed.json : {};
      expectThat(typeof body['cursor'] === 'number' && body['cursor'] > before, `the status cursor ${JSON.stringify(body['cursor'])} did not move past ${before} after a create`, changed);
      expectThat(typeof body['serverVersion'] === 'string' || typeof body['serverVersion'] === 'number', 'the status has no serverVersion', changed);
      expectThat(body['hasUpdates'] === true, `the status since ${before} (before a create) says hasUpdates ${JSON.stringify(body['hasUpdates'])}`, changed);
      const current = body['cursor'];
      const quiet = await ctx.a.send({ method: 'GET', path: `/v1/sync/status?since=${current}` });
      expectStatus(quiet, 200, 'GET /v1/sync/status since the current cursor');
      expectThat(isObject(quiet.json) && quiet.json['hasUpdates'] === false, `the status since the current cursor ${current} says hasUpdates ${JSON.stringify(isObject(quiet.json) ? quiet.json['hasUpdates'] : undefined)}`, quiet);
    },
  },
  {
    name: 'status/head',
    says: 'HEAD /v1/sync/status answers with headers only: X-Has-Updates for the caller\'s since, and X-Last-Sync',
    dialect: 'both',
    async run(ctx) {
      const before = await ctx.a.cursor();
      await ctx.a.createNew(ctx.unique('head'));
      const current = await ctx.a.cursor();
      for (const [since, expected] of [[before, 'true'], [current, 'false']] as const) {
        const head = await ctx.a.send({ method: 'HEAD', path: `/v1/sync/status?since=${since}` });
        expectStatus(head, 200, `HEAD /v1/sync/status?since=${since}`);
        expectThat(head.raw.length === 0, `HEAD /v1/sync/status answered a body of ${head.raw.length} bytes`, head);
        const has = headerText(head.headers['x-has-updates'])?.trim().toLowerCase();
        expectThat(has === expected, `HEAD /v1/sync/status?since=${since} answered X-Has-Updates ${JSON.stringify(has ?? null)}, not ${expected}`, head);
        const last = headerText(head.headers['x-last-sync']);
        expectThat(last !== undefined && last.trim() !== '', 'HEAD /v1/sync/status has no X-Last-Sync header', head);
      }
    },
  },
];
