import { gzipSync } from 'node:zlib';
import { expectErrorShape, expectStatus, expectThat, notApplicable, objectAt, type RuleContext, type ServerRule } from '../rule.ts';
import { taskOf } from '../user-api.ts';

/** SPEC §4: a body over 1 MiB is 413. */
const MAX_BODY_BYTES = 1024 * 1024;
/** SPEC §4: a title longer than 10,000 characters is refused. */
const MAX_TITLE = 10_000;

/** No task with `clientId` after `since`: the refused request made nothing. */
async function expectNotCreated(ctx: RuleContext, since: number, clientId: string, what: string): Promise<void> {
  const page = await ctx.a.changes(since);
  const made = page.tasks.find((t) => t.clientId === clientId);
  expectThat(made === undefined, `${what} was refused but made task ${made?.id ?? ''} anyway`, page.exchange);
}

export const limitRules: ServerRule[] = [
  {
    name: 'limits/body-413',
    says: 'a request body over 1 MiB is 413 with the JSON error, and nothing is stored',
    dialect: 'both',
    async run(ctx) {
      const since = await ctx.a.cursor();
      const clientId = ctx.unique('huge');
      const raw = JSON.stringify({ clientId, title: 'x'.repeat(MAX_BODY_BYTES), completed: false, stamp: 's-001' });
      const reply = await ctx.a.send({ method: 'POST', path: '/v1/tasks', raw });
      expectStatus(reply, 413, `a create of ${raw.length} bytes`);
      expectErrorShape(reply, 'the 413');
      await expectNotCreated(ctx, since, clientId, 'the oversized create');
    },
  },
  {
    name: 'limits/gzip-body-413',
    says: 'the 1 MiB cap holds after gunzip: a small gzip body that inflates past it is 413',
    dialect: 'both',
    async run(ctx) {
      const since = await ctx.a.cursor();
      const clientId = ctx.unique('bomb');
      const zipped = gzipSync(JSON.stringify({ clientId, title: ' '.repeat(4 * MAX_BODY_BYTES), completed: false, stamp: 's-001' }));
      const reply = await ctx.a.send({ method: 'POST', path: '/v1/tasks', raw: zipped, headers: { 'content-encoding': 'gzip' } });
      expectStatus(reply, 413, `a gzip create of ${zipped.length} bytes that inflates to ${4 * MAX_BODY_BYTES} bytes`);
      expectErrorShape(reply, 'the 413');
      await expectNotCreated(ctx, since, clientId, 'the inflating create');
    },
  },
  {
    name: 'limits/title',
    says: 'a title of 10,000 characters is accepted; a longer one is a 4xx with the JSON error, on create and update',
    dialect: 'both',
    async run(ctx) {
      const since = await ctx.a.cursor();
      const clientId = ctx.unique('long-title');
      const longest = await ctx.a.send({ method: 'POST', path: '/v1/tasks', json: { clientId, title: 'é'.repeat(MAX_TITLE), completed: false, stamp: 's-001' } });
      expectStatus(longest, 201, `a create with a title of ${MAX_TITLE} characters`);
      const task = taskOf(longest, 'the longest create');
      const tooLong = ctx.unique('too-long-title');
      const refused = await ctx.a.send({ method: 'POST', path: '/v1/tasks', json: { clientId: tooLong, title: 'x'.repeat(MAX_TITLE + 1), completed: false, stamp: 's-001' } });
      expectThat(refused.status >= 400 && refused.status < 500, `a create with a title of ${MAX_TITLE + 1} characters answered ${refused.status}, not a 4xx`, refused);
      expectErrorShape(refused, 'the refused create');
      await expectNotCreated(ctx, since, tooLong, 'the create with a too long title');
      const update = await ctx.a.update(task.id, { title: 'y'.repeat(MAX_TITLE + 1), stamp: 's-002', device: 'conform' });
      expectThat(update.status >= 400 && update.status < 500, `an update to a title of ${MAX_TITLE + 1} characters answered ${update.status}, not a 4xx`, update);
      expectErrorShape(update, 'the refused update');
    },
  },
  {
    name: 'limits/unknown-method',
    says: 'a method the API does not have is 405 with the JSON error',
    dialect: 'both',
    async run(ctx) {
      const task = await ctx.a.createNew(ctx.unique('method'));
      for (const [method, path] of [['PATCH', '/v1/tasks'], ['PATCH', `/v1/tasks/${encodeURIComponent(task.id)}`], ['DELETE', '/v1/sync/status'], ['PUT', '/v1/sync/batch']] as const) {
        const reply = await ctx.a.send({ method, path, json: { title: 'x' } });
        expectStatus(reply, 405, `${method} ${path}`);
        expectErrorShape(reply, `${method} ${path}`);
      }
    },
  },
  {
    name: 'limits/retry-after',
    says: '429 and 503 carry Retry-After (judged on every such reply the suite met; none is provoked)',
    dialect: 'both',
    async run(ctx) {
      const replies = ctx.client.retryReplies;
      if (replies.length === 0) notApplicable('the server answered no 429 or 503 during the suite');
      for (const { status, retryAfter, exchange } of replies) {
        expectThat(retryAfter !== undefined && /^\s*(\d+|[A-Za-z]{3}, .+ GMT)\s*$/.test(retryAfter), `a ${status} reply has no valid Retry-After (${JSON.stringify(retryAfter ?? null)})`, exchange);
        expectErrorShape(exchange, `the ${status}`);
      }
    },
  },
  {
    name: 'limits/quota',
    says: 'a create past the per-user quota is 403 QUOTA_EXCEEDED with currentUsage and limit (off by default: judged only if one came)',
    dialect: 'both',
    async run(ctx) {
      const replies = ctx.client.quotaReplies;
      if (replies.length === 0) notApplicable('no create met a quota (it is off by default)');
      for (const exchange of replies) {
        const error = objectAt(exchange.json, 'error') ?? {};
        expectThat(typeof error['currentUsage'] === 'number' && typeof error['limit'] === 'number', 'a 403 QUOTA_EXCEEDED has no numeric currentUsage and limit', exchange);
      }
    },
  },
];
