import { describe, expect, it } from 'vitest';
import { startHttpServer } from '../../src/server/listen.ts';
import type { RequestJournal } from '../../src/server/persist/request-journal.ts';
import { SyncServer } from '../../src/server/server.ts';
import { LiveExchange } from '../../src/serve/live-exchange.ts';
import { auth } from './serve-process.ts';

/** A journal whose disk is full: the write it cannot keep is not acknowledged, and nothing more is applied. */
describe('serve --data when the data file cannot be written', () => {
  it('answers a retryable 503, stops applying, and tells the process to stop', async () => {
    const fatal: Error[] = [];
    let onApply: (e: Parameters<LiveExchange['collect']>[0]) => void = () => undefined;
    const server = new SyncServer({ users: [{ name: 'demo', token: 'demo-token' }], onApply: (e) => onApply(e) });
    const fullDisk = {
      position: 0,
      record() {
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      },
      durable: () => Promise.resolve(),
    } as unknown as RequestJournal;
    const live = new LiveExchange({ server, clock: () => 1000, journal: fullDisk, onFatal: (e) => fatal.push(e) });
    onApply = live.collect;
    const http = await startHttpServer(server, { port: 0, now: () => 1000, exchange: live.exchange });
    try {
      const base = `http://127.0.0.1:${http.port}`;
      const create = (clientId: string) => fetch(`${base}/v1/tasks`, { method: 'POST', headers: auth(), body: JSON.stringify({ clientId, title: 't', stamp: '1' }) });
      const first = await create('c1');
      expect(first.status).toBe(503);
      expect(first.headers.get('retry-after')).toBe('5');
      expect(((await first.json()) as { error: { code: string; retryable: boolean } }).error).toMatchObject({ code: 'SERVICE_UNAVAILABLE', retryable: true });
      expect(fatal.map((e) => e.message)).toEqual(['ENOSPC: no space left on device, write']);
      // Memory is ahead of the file now: nothing more is applied or shown until a restart replays the file.
      expect((await create('c2')).status).toBe(503);
      expect((await fetch(`${base}/v1/tasks`, { headers: auth() })).status).toBe(503);
      expect(server.tasks('demo').map((t) => t.clientId)).toEqual(['c1']);
      expect(fatal).toHaveLength(1);
    } finally {
      await http.close();
    }
  });
});
