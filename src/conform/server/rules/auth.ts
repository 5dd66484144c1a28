import type { ApiRequest } from '../http-client.ts';
import { expectErrorShape, expectStatus, type RuleContext, type ServerRule } from '../rule.ts';
import { expectUnchanged } from './unchanged.ts';

/** Every endpoint of SPEC §4, as a request a rule may send without caring whether it would succeed. */
export function everyEndpoint(id: string, clientId: string): Array<Omit<ApiRequest, 'token'>> {
  const path = `/v1/tasks/${encodeURIComponent(id)}`;
  return [
    { method: 'GET', path: '/v1/tasks?since=0' },
    { method: 'POST', path: '/v1/tasks', json: { clientId, title: clientId, completed: false, stamp: 's-001' } },
    { method: 'PUT', path, json: { title: clientId, stamp: 's-999' } },
    { method: 'DELETE', path },
    { method: 'POST', path: '/v1/sync/batch', json: { operations: [{ type: 'delete', id }], cursor: 0 } },
    { method: 'GET', path: '/v1/sync/status' },
    { method: 'HEAD', path: '/v1/sync/status' },
  ];
}

async function everyEndpointRefused(ctx: RuleContext, token: string | null, what: string): Promise<void> {
  const since = await ctx.a.cursor();
  const task = await ctx.a.createNew(ctx.unique('auth'));
  const intruder = ctx.unique('auth-intruder');
  for (const request of everyEndpoint(task.id, intruder)) {
    const exchange = await ctx.a.send({ ...request, token });
    expectStatus(exchange, 401, `${request.method} ${request.path} ${what}`);
    if (request.method !== 'HEAD') expectErrorShape(exchange, `${request.method} ${request.path} ${what}`);
  }
  await expectUnchanged(ctx.a, since, task, intruder, `after the requests ${what}`);
}

export const authRules: ServerRule[] = [
  {
    name: 'auth/missing-token',
    says: 'every request carries Authorization: Bearer <token>; without one it is 401 with the JSON error',
    dialect: 'both',
    run: (ctx) => everyEndpointRefused(ctx, null, 'without an Authorization header'),
  },
  {
    name: 'auth/bad-token',
    says: 'a token that names no user is 401 with the JSON error, on every endpoint',
    dialect: 'both',
    run: (ctx) => everyEndpointRefused(ctx, `not-a-token-${ctx.unique('t')}`, 'with a token that names no user'),
  },
];
