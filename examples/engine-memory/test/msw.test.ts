/**
 * The app's own tests with a faithful sync backend (syncsim/msw): the server model as msw
 * handlers, reached with the real global fetch, faults included.
 */
import { setupServer } from 'msw/node';
import { syncHandlers } from 'syncsim/msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

const baseUrl = 'https://api.example.test';
const backend = syncHandlers({ baseUrl, users: [{ name: 'alice', token: 't1' }], quota: 2 });
const server = setupServer(...backend.handlers);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => backend.reset());
afterAll(() => server.close());

const headers = { authorization: 'Bearer t1', 'content-type': 'application/json' };
const create = (clientId: string, title: string, key: string) =>
  fetch(`${baseUrl}/v1/tasks`, { method: 'POST', headers: { ...headers, 'idempotency-key': key }, body: JSON.stringify({ clientId, title, completed: false, stamp: '0001', device: 'phone' }) });

describe('syncsim/msw in a consumer project', () => {
  it('creates once through a lost reply: the retry with the same key gets the original', async () => {
    backend.faults.loseReplies({ match: 'POST /v1/tasks', count: 1 });
    await expect(create('c1', 'Buy milk', 'k1')).rejects.toThrow();
    const retry = await create('c1', 'Buy milk', 'k1');
    expect(retry.ok).toBe(true);
    expect(backend.tasks('alice').filter((t) => !t.deleted)).toHaveLength(1);
  });

  it('answers 503 with Retry-After during an outage, and 403 QUOTA_EXCEEDED past the quota', async () => {
    backend.faults.unavailable(30_000);
    const down = await create('c1', 'a', 'k1');
    expect(down.status).toBe(503);
    expect(down.headers.get('retry-after')).not.toBeNull();
    backend.faults.clear();
    for (const [i, key] of ['k2', 'k3'].entries()) expect((await create(`c${i + 2}`, `t${i}`, key)).ok).toBe(true);
    const over = await create('c9', 'too many', 'k9');
    expect(over.status).toBe(403);
    expect(((await over.json()) as { error: { code: string } }).error.code).toBe('QUOTA_EXCEEDED');
  });
});
