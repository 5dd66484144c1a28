import type { AnyTraceEvent, SnapshotRow } from '../../src/trace/index.ts';

const DEVICES = ['phone', 'ipad', 'mac', 'watch'];
const TASKS = 5000;

/**
 * About a million events of a healthy run: each write is followed by its push (request,
 * server.apply, reply) and its pull on every other device; now and then a partition
 * comes and goes. Built with plain objects so the test spends its time checking.
 */
export function largeTrace(targetEvents = 1_000_000): AnyTraceEvent[] {
  const events: AnyTraceEvent[] = [];
  let t = 0;
  let msg = 0;
  const push = (type: string, fields: Record<string, unknown>) => {
    events.push({ seq: events.length, t, type, ...fields } as AnyTraceEvent);
  };
  push('run.start', { version: 1, scenario: 'large', seed: 1, engine: 'test', devices: DEVICES.map((id) => ({ id, skew: 0 })) });
  const finals: Array<{ write: string; title: string; completed: boolean; deleted: boolean } | undefined> = [];
  const counters = new Map<string, number>();
  for (let i = 0; events.length < targetEvents - 20; i++) {
    t += 10;
    if (i % 20_000 === 10_000) push('fault', { kind: 'partition', detail: { groups: [['watch'], ['phone', 'ipad', 'mac', 'server']] } });
    if (i % 20_000 === 10_010) push('fault', { kind: 'heal', detail: {} });
    const device = DEVICES[i % DEVICES.length]!;
    const taskIndex = i % TASKS;
    const task = `t${taskIndex}`;
    const previous = finals[taskIndex];
    if (previous?.deleted) continue;
    const n = (counters.get(device) ?? 0) + 1;
    counters.set(device, n);
    const write = `${device}#${n}`;
    const kind = previous === undefined ? 'create' : i % 97 === 0 ? 'delete' : 'update';
    const value = { title: `${task}-${i}`, completed: i % 3 === 0, deleted: kind === 'delete' };
    push('op', { device, write, kind, task, value, basis: previous?.write ?? null, stamp: String(t).padStart(12, '0') });
    push('device.apply', { device, task, write, source: 'local' });
    const request = ++msg;
    push('msg.send', { msg: request, from: device, to: 'server', method: 'POST', path: '/v1/sync/batch' });
    t += 1;
    push('msg.deliver', { msg: request, from: device, to: 'server', method: 'POST', path: '/v1/sync/batch' });
    push('server.apply', { write, task, result: 'applied', version: 1, cursor: i });
    push('msg.send', { msg: ++msg, from: 'server', to: device, method: 'POST', path: '/v1/sync/batch', reply: request, status: 200 });
    t += 1;
    for (const other of DEVICES) {
      if (other === device || (other === 'watch' && i % 20_000 >= 10_000 && i % 20_000 < 10_010)) continue;
      push('device.apply', { device: other, task, write, source: 'pull' });
    }
    finals[taskIndex] = { write, ...value };
  }
  // The watch missed what happened during partitions; the final heal brings it.
  t += 1000;
  push('fault', { kind: 'heal', detail: { final: true } });
  t += 100;
  const rows: SnapshotRow[] = finals.flatMap((f, i) => (f === undefined ? [] : [{ task: `t${i}`, id: `id-${i}`, title: f.title, completed: f.completed, deleted: f.deleted, write: f.write }]));
  for (const device of DEVICES) push('snapshot', { node: device, tasks: rows, queue: [] });
  push('snapshot', { node: 'server', tasks: rows, queue: [] });
  return events;
}
