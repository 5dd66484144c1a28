import { createHash } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';

const DEVICES = ['phone', 'ipad', 'mac', 'watch'];
const TASKS = 5000;
/** Pulls each device makes between two writes, by default: a healthy run is mostly polling messages. */
export const POLLS_PER_WRITE = 3;

/**
 * Writes a healthy run of about `target` events to `file`, shaped like a recorded one:
 * mostly request/reply messages (polls and batches), and for each write the user's history
 * (invoke, ok, a compact read), the engine's op, the server's apply and each device's pull;
 * snapshots at the end and run.end with the hash of every line before it. Each line is
 * about the size of a recorded one (~150 bytes). With no polls it is shaped like a bulk
 * run (large-10k-tasks): mostly the users' history and applies. Returns the number of events.
 */
export function writeSyntheticTrace(file: string, target: number, pollsPerWrite = POLLS_PER_WRITE): number {
  const fd = openSync(file, 'w');
  const hash = createHash('sha256');
  let lines: string[] = [];
  let seq = 0;
  let t = 0;
  let msg = 0;
  const emit = (type: string, fields: Record<string, unknown>) => {
    lines.push(JSON.stringify({ seq: seq++, t, type, ...fields }));
    if (lines.length >= 8192) flush();
  };
  const flush = () => {
    const text = lines.join('\n') + '\n';
    hash.update(text);
    writeSync(fd, text);
    lines = [];
  };
  const exchange = (device: string, method: string, path: string) => {
    const request = ++msg;
    emit('msg.send', { msg: request, from: device, to: 'server', method, path });
    t += 1;
    emit('msg.deliver', { msg: request, from: device, to: 'server', method, path });
    const reply = ++msg;
    emit('msg.send', { msg: reply, from: 'server', to: device, method, path, reply: request, status: 200 });
    t += 1;
    emit('msg.deliver', { msg: reply, from: 'server', to: device, method, path, reply: request, status: 200 });
  };

  emit('run.start', { version: 1, scenario: 'bench-check-file', seed: 1, engine: 'synthetic', devices: DEVICES.map((id) => ({ id, skew: 0 })), objectiveMs: 5000, finalHeal: true });
  const finals: Array<{ write: string; title: string; completed: boolean; deleted: boolean } | undefined> = [];
  const writesOf = new Map<string, number>();
  const lastRead = new Map<string, number>();
  let cursor = 0;
  for (let i = 0; seq < target - 20; i++) {
    t += 100;
    for (let p = 0; p < pollsPerWrite; p++) {
      const device = DEVICES[(i + p) % DEVICES.length]!;
      exchange(device, 'GET', `/v1/tasks?since=${cursor}&limit=500`);
    }
    // Each device writes its own tasks, so its reads show what it wrote.
    const device = DEVICES[i % DEVICES.length]!;
    const index = (i % TASKS) - (i % TASKS) % DEVICES.length + (i % DEVICES.length);
    const task = `t${index}`;
    const previous = finals[index];
    if (previous?.deleted) continue;
    const n = (writesOf.get(device) ?? 0) + 1;
    writesOf.set(device, n);
    const write = `${device}#${n}`;
    const kind = previous === undefined ? 'create' : i % 97 === 0 ? 'delete' : 'update';
    const value = { title: `${task}-${i}`, completed: i % 3 === 0, deleted: kind === 'delete' };
    const basis = previous?.write ?? null;
    const id = `id-${index}`;
    emit('invoke', { device, write, kind, task, value, basis });
    emit('op', { device, write, kind, task, value, basis, stamp: String(t).padStart(15, '0') });
    emit('device.apply', { device, task, write, source: 'local' });
    emit('ok', { device, write, ...(kind === 'create' && { id }) });
    const since = lastRead.get(device);
    lastRead.set(device, seq);
    const row = { task, id, title: value.title, completed: value.completed };
    if (since === undefined) emit('read', { device, cause: 'write', rows: [row] });
    else if (kind === 'delete') emit('read', { device, cause: 'write', since, rows: [], gone: [id] });
    else emit('read', { device, cause: 'write', since, rows: [row] });
    const request = ++msg;
    emit('msg.send', { msg: request, from: device, to: 'server', method: 'POST', path: '/v1/sync/batch' });
    t += 1;
    emit('msg.deliver', { msg: request, from: device, to: 'server', method: 'POST', path: '/v1/sync/batch' });
    emit('server.apply', { write, task, result: 'applied', version: 1, cursor: ++cursor, op: kind, id });
    const reply = ++msg;
    emit('msg.send', { msg: reply, from: 'server', to: device, method: 'POST', path: '/v1/sync/batch', reply: request, status: 200 });
    t += 1;
    emit('msg.deliver', { msg: reply, from: 'server', to: device, method: 'POST', path: '/v1/sync/batch', reply: request, status: 200 });
    for (const other of DEVICES) if (other !== device) emit('device.apply', { device: other, task, write, source: 'pull' });
    finals[index] = { write, ...value };
  }
  t += 1000;
  emit('fault', { kind: 'heal', detail: { final: true } });
  t += 100;
  const rows = finals.flatMap((f, i) => (f === undefined ? [] : [{ task: `t${i}`, id: `id-${i}`, title: f.title, completed: f.completed, deleted: f.deleted, write: f.write }]));
  for (const node of [...DEVICES, 'server']) emit('snapshot', { node, tasks: rows, queue: [] });
  flush();
  const line = JSON.stringify({ seq: seq++, t, type: 'run.end', ok: true, violations: [], hash: hash.digest('hex') }) + '\n';
  writeSync(fd, line);
  closeSync(fd);
  return seq;
}
