/**
 * `syncsim serve` with and without `--data`: creates per second over real HTTP on
 * 127.0.0.1 (32 concurrent clients in this process), group commit's records per
 * fdatasync, journal bytes per create, and replay speed at start.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RequestJournal } from '../src/server/persist/request-journal.ts';
import { SyncServer } from '../src/server/server.ts';
import { startLiveServer } from '../src/serve/live-server.ts';
import { timed, type Figures } from './report.ts';

const CREATES = 4000;
const CLIENTS = 32;

async function storm(dataFile: string | undefined): Promise<{ perSecond: number; recordsPerSync: number }> {
  const server = await startLiveServer({ port: 0, host: '127.0.0.1', users: [{ name: 'demo', token: 'demo-token' }], ...(dataFile !== undefined && { dataFile }) });
  let next = 0;
  const ms = await timed(async () => {
    await Promise.all(Array.from({ length: CLIENTS }, async () => {
      while (next < CREATES) {
        const i = next++;
        const res = await fetch(`http://127.0.0.1:${server.port}/v1/tasks`, {
          method: 'POST', headers: { authorization: 'Bearer demo-token', 'content-type': 'application/json' },
          body: JSON.stringify({ clientId: `c${i}`, title: `task number ${i}`, stamp: '0001' }),
        });
        await res.arrayBuffer();
      }
    }));
  });
  const stats = server.journalStats();
  await server.close();
  return { perSecond: CREATES / (ms / 1000), recordsPerSync: stats === null ? 0 : stats.records / Math.max(1, stats.syncs) };
}

export async function benchServe(): Promise<Figures> {
  const dir = mkdtempSync(join(tmpdir(), 'syncsim-bench-serve-'));
  try {
    const memory = await storm(undefined);
    const file = join(dir, 'store.journal');
    const data = await storm(file);
    let records = 0;
    const replayMs = await timed(async () => {
      const journal = RequestJournal.open(file, new SyncServer());
      records = journal.replay.records;
      await journal.close();
    });
    return {
      'serve.memory_creates_per_s': { value: Math.round(memory.perSecond), unit: 'creates/s' },
      'serve.data_creates_per_s': { value: Math.round(data.perSecond), unit: 'creates/s' },
      'serve.data_records_per_sync': { value: Math.round(data.recordsPerSync * 10) / 10, unit: 'records/fdatasync' },
      'serve.data_bytes_per_create': { value: Math.round(statSync(file).size / CREATES), unit: 'bytes' },
      'serve.replay_records_per_s': { value: Math.round(records / (replayMs / 1000)), unit: 'records/s' },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
