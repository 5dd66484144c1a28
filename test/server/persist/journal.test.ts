import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeFrame, JournalCorruptError, MAGIC, scanJournal } from '../../../src/server/persist/frame.ts';
import { JournalLockedError } from '../../../src/server/persist/lock.ts';
import { RequestJournal } from '../../../src/server/persist/request-journal.ts';
import { SyncServer } from '../../../src/server/server.ts';
import type { HttpRequest } from '../../../src/server/http.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const tempFile = () => {
  const dir = mkdtempSync(join(tmpdir(), 'syncsim-journal-'));
  dirs.push(dir);
  return join(dir, 'store.journal');
};

const frames = (...payloads: string[]) => Buffer.concat([Buffer.from(MAGIC), ...payloads.map((p) => encodeFrame(Buffer.from(p)))]);

describe('journal frames', () => {
  it('reads back what it wrote', () => {
    const scan = scanJournal(frames('{"a":1}', '{"b":2}'));
    expect(scan.records.map((r) => r.payload.toString())).toEqual(['{"a":1}', '{"b":2}']);
    expect(scan.droppedTail).toBeNull();
  });

  it('takes an empty file or a cut-short magic line for a new journal', () => {
    expect(scanJournal(Buffer.alloc(0)).fresh).toBe(true);
    expect(scanJournal(Buffer.from(MAGIC.slice(0, 5))).fresh).toBe(true);
  });

  it('refuses a file that is not a journal', () => {
    expect(() => scanJournal(Buffer.from('tasks:\n  - a\n'))).toThrow(/not a syncsim journal/);
  });

  it('drops a torn last record at every cut point, keeping the whole ones before it', () => {
    const whole = frames('{"a":1}', '{"b":2}');
    const firstEnd = frames('{"a":1}').length;
    for (let cut = firstEnd + 1; cut < whole.length; cut++) {
      const scan = scanJournal(whole.subarray(0, cut));
      expect(scan.records.length, `cut at ${cut}`).toBe(1);
      expect(scan.goodLength).toBe(firstEnd);
      expect(scan.droppedTail?.offset).toBe(firstEnd);
    }
  });

  it('drops a garbled last record whose length is whole', () => {
    const bad = frames('{"a":1}', '{"b":2}');
    bad[bad.length - 3] = bad[bad.length - 3]! ^ 0xff;
    expect(scanJournal(bad).droppedTail?.problem).toMatch(/checksum/);
  });

  it('refuses damage in the middle: a bad record with whole ones after it is an error, not a drop', () => {
    const bad = frames('{"a":1}', '{"b":2}', '{"c":3}');
    const second = frames('{"a":1}').length;
    bad[second + 22] = bad[second + 22]! ^ 0xff;
    expect(() => scanJournal(bad)).toThrow(JournalCorruptError);
    expect(() => scanJournal(bad)).toThrow(/record 2 at byte \d+ is damaged .* whole records follow it/);
    // A damaged length that claims to run past the end does not hide the records after it either.
    const longLength = frames('{"a":1}', '{"b":2}', '{"c":3}');
    longLength.write('00ffffff', second + 1, 'latin1');
    expect(() => scanJournal(longLength)).toThrow(/whole records follow it/);
  });
});

const post = (path: string, body: unknown, token = 'tok'): HttpRequest => ({
  method: 'POST', path, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
});

describe('RequestJournal', () => {
  it('replays the recorded requests into an identical store, without the tokens', async () => {
    const file = tempFile();
    const first = new SyncServer({ users: [{ name: 'alice', token: 'tok' }] });
    const journal = RequestJournal.open(file, first);
    const requests = [
      post('/v1/tasks', { clientId: 'c1', title: 'milk', stamp: '1' }),
      post('/v1/tasks', { clientId: 'c2', title: 'eggs', stamp: '1' }),
      { ...post('/v1/tasks/t1', { title: 'oat milk', version: 1, stamp: '2' }), method: 'PUT', path: '/v1/tasks/t1' },
      { method: 'DELETE', path: '/v1/tasks/t2', headers: { authorization: 'Bearer tok' }, body: null },
      post('/v1/sync/batch', { operations: [{ type: 'create', clientId: 'c3', title: 'tea', stamp: '3' }] }),
    ];
    for (const [i, request] of requests.entries()) {
      const response = first.handle(request, 1000 + i);
      journal.record(request, 'alice', 1000 + i, response.status);
    }
    await journal.durable(journal.position);
    await journal.close();
    expect(readFileSync(file, 'utf8')).not.toContain('tok');

    // Restarted with another token: alice's tasks are still hers.
    const second = new SyncServer({ users: [{ name: 'alice', token: 'new-token' }] });
    const reopened = RequestJournal.open(file, second);
    expect(reopened.replay).toMatchObject({ records: 5, users: ['alice'], mismatches: 0, droppedTail: null });
    expect(second.tasks('alice')).toEqual(first.tasks('alice'));
    expect(second.cursor('alice')).toBe(first.cursor('alice'));
    await reopened.close();
  });

  it('cuts a torn tail off the file before appending, so the next record is not behind garbage', async () => {
    const file = tempFile();
    const server = new SyncServer({ users: [{ name: 'alice', token: 'tok' }] });
    const journal = RequestJournal.open(file, server);
    const request = post('/v1/tasks', { clientId: 'c1', title: 'milk', stamp: '1' });
    journal.record(request, 'alice', 1, server.handle(request, 1).status);
    await journal.close();
    appendFileSync(file, 'R0000ffff 00');
    const again = RequestJournal.open(file, new SyncServer());
    expect(again.replay.droppedTail?.bytes).toBe(12);
    const next = post('/v1/tasks', { clientId: 'c2', title: 'eggs', stamp: '1' });
    again.record(next, 'alice', 2, 201);
    await again.durable(again.position);
    await again.close();
    const third = new SyncServer();
    const last = RequestJournal.open(file, third);
    expect(last.replay).toMatchObject({ records: 2, droppedTail: null });
    expect(third.tasks('alice').map((t) => t.clientId)).toEqual(['c1', 'c2']);
    await last.close();
  });

  it('groups the syncs of concurrent records: every waiter resolves', async () => {
    const file = tempFile();
    const journal = RequestJournal.open(file, new SyncServer());
    const request = post('/v1/tasks', { clientId: 'c', title: 't', stamp: '1' });
    const waits = Array.from({ length: 50 }, (_, i) => journal.durable(journal.record(request, 'alice', i, 201)));
    await Promise.all(waits);
    await journal.close();
    expect(scanJournal(readFileSync(file)).records).toHaveLength(50);
  });

  it('refuses a record that is whole but not a request', () => {
    const file = tempFile();
    writeFileSync(file, frames('{"now":1}'));
    expect(() => RequestJournal.open(file, new SyncServer())).toThrow(/record 1 at byte 18 is not a request record/);
  });

  it('is held by one live process: another is refused, a dead one\'s lock is taken over', async () => {
    const file = tempFile();
    writeFileSync(`${file}.lock`, String(process.ppid));
    expect(() => RequestJournal.open(file, new SyncServer())).toThrow(JournalLockedError);
    // No pid is this large on Linux (pid_max is at most 2^22): its owner is gone, as after a kill -9.
    writeFileSync(`${file}.lock`, String(2 ** 30));
    const journal = RequestJournal.open(file, new SyncServer());
    expect(readFileSync(`${file}.lock`, 'utf8')).toBe(String(process.pid));
    await journal.close();
    expect(() => readFileSync(`${file}.lock`)).toThrow(/ENOENT/);
  });
});
