/**
 * Servers with one planted defect each (test/fixtures/servers/) fail `conform --server`
 * naming the rule, with the request that showed it and what came back.
 */
import { describe, expect, it } from 'vitest';
import { runServerSuite, type RuleResult } from '../../src/conform/server/suite.ts';
import type { SyncServer } from '../../src/server/index.ts';
import { IgnoresIdempotencyKey } from '../fixtures/servers/ignores-idempotency-key.ts';
import { LeaksTaskById } from '../fixtures/servers/leaks-by-id.ts';
import { NoVersionConflict } from '../fixtures/servers/no-version-conflict.ts';
import { OffsetPages } from '../fixtures/servers/offset-pages.ts';
import { serve, TOKENS } from '../fixtures/servers/planted.ts';

async function violations(server: SyncServer): Promise<RuleResult[]> {
  const running = await serve(server);
  try {
    const result = await runServerSuite({ url: running.url, tokens: TOKENS });
    expect(result.ok).toBe(false);
    return result.rules.filter((r) => r.verdict === 'violated');
  } finally {
    await running.close();
  }
}

const names = (rules: RuleResult[]) => rules.map((r) => r.name);
const rule = (rules: RuleResult[], name: string) => rules.find((r) => r.name === name)!;

describe('conform --server finds planted defects', () => {
  it('a server that ignores Idempotency-Key: the replayed update is a 409, the reused key makes a second task', async () => {
    const found = await violations(new IgnoresIdempotencyKey());
    expect(names(found)).toEqual(['idempotency/key-update', 'idempotency/key-reuse-422']);
    const reuse = rule(found, 'idempotency/key-reuse-422');
    expect(reuse.message).toMatch(/a create with Idempotency-Key \S+ and another body: expected 422, got 201/);
    expect(reuse.evidence).toMatchObject({ request: { method: 'POST', path: '/v1/tasks' }, status: 201 });
    expect(reuse.evidence?.request?.headers['idempotency-key']).toMatch(/^conform-/);
    expect(rule(found, 'idempotency/key-update').message).toContain('expected 200, got 409');
  });

  it("a server that leaks another user's task by id", async () => {
    const found = await violations(new LeaksTaskById());
    expect(names(found)).toEqual(['isolation/by-id']);
    const leak = rule(found, 'isolation/by-id');
    expect(leak.message).toMatch(/user B reads user A's task t\d+: expected 404 or 405, got 200/);
    expect(leak.evidence?.request).toMatchObject({ method: 'GET', path: expect.stringMatching(/^\/v1\/tasks\/t\d+$/) });
    expect(leak.evidence?.responseExcerpt).toContain('secret title of A');
  });

  it('a server whose pages skip a change when writes happen between page reads (offset paging)', async () => {
    const found = await violations(new OffsetPages());
    expect(names(found)).toEqual(['pagination/concurrent-writes']);
    expect(rule(found, 'pagination/concurrent-writes').message).toMatch(/^paging by 3 with writes between page reads, the pages skipped \d+ changes? \(task t\d+ at version \d+/);
  });

  it('a server without 409 on stale versions', async () => {
    const found = await violations(new NoVersionConflict());
    // Dropping `version` also stops it from refusing a version of the wrong type.
    expect(names(found)).toEqual(['conflict/stale-version', 'errors/wrong-type', 'design/conflict-fields']);
    const stale = rule(found, 'conflict/stale-version');
    expect(stale.message).toMatch(/an update at the stale version 1 \(the task is at 2\): expected 409, got 200/);
    expect(stale.evidence).toMatchObject({ request: { method: 'PUT', bodyExcerpt: expect.stringContaining('"version":1') }, status: 200 });
  });
});
