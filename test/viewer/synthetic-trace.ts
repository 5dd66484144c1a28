import type { SnapshotRow, TaskValue } from '../../src/trace/index.ts';
import { TraceRecorder } from '../../src/trace/index.ts';

/**
 * A valid trace of about `target` events for the viewer's load benchmark: devices writing
 * tasks and syncing them through the server, with drops, duplicates, offline periods and
 * partitions, then the final heal, snapshots and run.end (with its hash). With `history`, the
 * harness's events too: each write's invoke and ok, and after it a compact read of its device.
 */
export function syntheticTrace(target: number, devices = ['phone', 'ipad', 'mac', 'watch'], { history = false } = {}): string {
  let t = 0;
  let seed = 12345;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const trace = new TraceRecorder(() => t);
  trace.record('run.start', { version: 1, scenario: 'synthetic-100k', seed: 1, engine: 'reference', devices: devices.map((id) => ({ id, skew: 0 })) });
  trace.record('fault', { kind: 'network', detail: { latency: { min: 10, max: 200 }, initial: true } });
  const values = new Map<string, TaskValue & { write: string }>();
  const rows = new Map<string, Map<string, string>>(devices.map((d) => [d, new Map()]));
  const counters = new Map<string, number>();
  let msg = 0;
  let version = 0;
  let tasks = 0;
  /** By device: the seq of its last read. */
  const lastRead = new Map<string, number>();
  const send = (from: string, to: string, method: string, path: string, reply?: number, status?: number) => {
    const id = ++msg;
    trace.record('msg.send', { msg: id, from, to, method, path, ...(reply === undefined ? {} : { reply, status }) });
    return id;
  };
  while (trace.length < target - devices.length - 4) {
    const device = devices[Math.floor(random() * devices.length)]!;
    t += 1 + Math.floor(random() * 20);
    if (random() < 0.002) {
      trace.record('fault', { kind: 'offline', detail: { device } });
      t += 500;
      trace.record('fault', { kind: 'online', detail: { device } });
      continue;
    }
    const n = (counters.get(device) ?? 0) + 1;
    counters.set(device, n);
    const write = `${device}#${n}`;
    const existing = tasks > 0 && random() < 0.4 ? `t-${1 + Math.floor(random() * tasks)}` : undefined;
    const task = existing ?? `t-${++tasks}`;
    const kind = existing === undefined ? 'create' : random() < 0.1 ? 'delete' : 'update';
    const value = { title: `Task ${task} <b>${write}</b>`, completed: random() < 0.3, deleted: kind === 'delete' };
    const basis = rows.get(device)!.get(task) ?? null;
    if (history) trace.recordCustom('invoke', { device, write, kind, task, value, basis });
    trace.record('op', { device, write, kind, task, value, basis, stamp: String(t).padStart(12, '0') + device });
    trace.record('device.apply', { device, task, write, source: 'local' });
    rows.get(device)!.set(task, write);
    if (history) {
      trace.recordCustom('ok', { device, write, ...(kind === 'create' ? { id: task } : {}) });
      const since = lastRead.get(device);
      lastRead.set(device, trace.length);
      const seen = kind === 'delete' ? [] : [{ task, id: task, title: value.title, completed: value.completed }];
      if (since === undefined) trace.recordCustom('read', { device, cause: 'write', rows: seen });
      else trace.recordCustom('read', { device, cause: 'write', since, rows: seen, gone: kind === 'delete' ? [task] : [] });
    }
    const request = send(device, 'server', 'POST', '/v1/sync/batch');
    t += 5 + Math.floor(random() * 50);
    if (random() < 0.01) {
      trace.record('msg.drop', { msg: request, from: device, to: 'server', method: 'POST', path: '/v1/sync/batch', reason: 'random' });
      continue;
    }
    trace.record('msg.deliver', { msg: request, from: device, to: 'server', method: 'POST', path: '/v1/sync/batch' });
    const previous = values.get(task);
    const applied = !previous?.deleted;
    if (applied) values.set(task, { ...value, write });
    trace.record('server.apply', { write, task, result: applied ? 'applied' : 'conflict', version: ++version, cursor: version, op: kind });
    const answer = send('server', device, 'POST', '/v1/sync/batch', request, 200);
    if (random() < 0.01) trace.record('msg.dup', { msg: ++msg, of: answer, from: 'server', to: device, method: 'POST', path: '/v1/sync/batch', reply: request, status: 200 });
    t += 5 + Math.floor(random() * 50);
    trace.record('msg.deliver', { msg: answer, from: 'server', to: device, method: 'POST', path: '/v1/sync/batch', reply: request, status: 200 });
    const other = devices[Math.floor(random() * devices.length)]!;
    const held = values.get(task);
    if (other !== device && held) {
      trace.record('device.apply', { device: other, task, write: held.write, source: 'pull' });
      rows.get(other)!.set(task, held.write);
    }
  }
  t += 1000;
  trace.record('fault', { kind: 'heal', detail: { final: true } });
  // Every node ends with the server's rows (the run converged).
  const final: SnapshotRow[] = [...values].map(([task, v], i) => ({ task, id: `t${i + 1}`, title: v.title, completed: v.completed, deleted: v.deleted, write: v.write }));
  for (const node of [...devices, 'server']) trace.record('snapshot', { node, tasks: final, queue: [] });
  trace.end(true, []);
  return trace.toJSONL();
}
