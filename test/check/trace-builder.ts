import type { AnyTraceEvent, FaultKind, SnapshotRow, TaskValue, TraceEventFields } from '../../src/trace/index.ts';

export interface WriteOptions {
  /** The LWW stamp; default: increasing with time and op order. */
  stamp?: string;
  /** The write the device's row reflected; default: what the builder saw the device apply last. */
  basis?: string | null;
}

type RowSpec = string | (Partial<SnapshotRow> & { task: string });

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/**
 * Builds traces for checker tests: it numbers events, keeps a clock the test moves with
 * `at`/`after`, names writes `device#n`, and remembers each device's view of each task so
 * that `basis` defaults to what the device's row reflected.
 */
export class TraceBuilder {
  readonly events: AnyTraceEvent[] = [];
  private now = 0;
  private opCount = 0;
  private readonly perDevice = new Map<string, number>();
  /** Each write's op event fields. */
  readonly writes = new Map<string, TraceEventFields['op'] & { seq: number }>();
  /** `${device}\u0000${task}` → the write the device's row reflects. */
  private readonly views = new Map<string, string>();

  /**
   * `history: true` records writes as the harness does, `invoke` then `ok`, with no engine
   * `op` unless a test gives a stamp (a black-box engine); reads come from `read`.
   */
  constructor(readonly devices: string[] = ['phone', 'ipad'], private readonly options: { history?: boolean } = {}) {
    this.push('run.start', { version: 1, scenario: 'test', seed: 1, engine: 'test', devices: devices.map((id) => ({ id, skew: 0 })) });
  }

  get t(): number {
    return this.now;
  }

  /** The seq of the last event. */
  get lastSeq(): number {
    return this.events.length - 1;
  }

  at(t: number): this {
    if (t < this.now) throw new Error(`time goes back: ${t} < ${this.now}`);
    this.now = t;
    return this;
  }

  after(ms: number): this {
    return this.at(this.now + ms);
  }

  push(type: string, fields: Record<string, unknown>): number {
    const seq = this.events.length;
    this.events.push({ seq, t: this.now, type, ...fields } as AnyTraceEvent);
    return seq;
  }

  create(device: string, task: string, title: string, options: WriteOptions & { completed?: boolean } = {}): string {
    return this.op(device, task, 'create', { title, completed: options.completed ?? false, deleted: false }, { basis: null, ...options });
  }

  update(device: string, task: string, change: { title?: string; completed?: boolean }, options: WriteOptions = {}): string {
    const before = this.valueSeenBy(device, task);
    return this.op(device, task, 'update', { title: change.title ?? before.title, completed: change.completed ?? before.completed, deleted: false }, options);
  }

  delete(device: string, task: string, options: WriteOptions = {}): string {
    const before = this.valueSeenBy(device, task);
    return this.op(device, task, 'delete', { ...before, deleted: true }, options);
  }

  private valueSeenBy(device: string, task: string): TaskValue {
    const seen = this.views.get(`${device}\u0000${task}`);
    const op = seen === undefined ? undefined : this.writes.get(seen);
    return op?.value ?? { title: task, completed: false, deleted: false };
  }

  private op(device: string, task: string, kind: 'create' | 'update' | 'delete', value: TaskValue, options: WriteOptions): string {
    const n = (this.perDevice.get(device) ?? 0) + 1;
    this.perDevice.set(device, n);
    const write = `${device}#${n}`;
    const basis = options.basis !== undefined ? options.basis : (this.views.get(`${device}\u0000${task}`) ?? null);
    const stamp = options.stamp ?? `${pad(this.now, 10)}.${pad(++this.opCount, 6)}`;
    const fields = { device, write, kind, task, value, basis, stamp };
    if (this.options.history) {
      const seq = this.push('invoke', { device, write, kind, task, value, basis });
      this.push('ok', { device, write, ...(kind === 'create' && { id: `id-${task}` }) });
      if (options.stamp !== undefined) this.push('op', fields);
      this.writes.set(write, { ...fields, seq });
    } else {
      const seq = this.push('op', fields);
      this.writes.set(write, { ...fields, seq });
    }
    this.views.set(`${device}\u0000${task}`, write);
    return write;
  }

  /** A write whose local transaction failed: `invoke`, then `fail`. */
  failedWrite(device: string, task: string, title: string): string {
    const n = (this.perDevice.get(device) ?? 0) + 1;
    this.perDevice.set(device, n);
    const write = `${device}#${n}`;
    this.push('invoke', { device, write, kind: 'update', task, value: { title, completed: false, deleted: false }, basis: null });
    this.push('fail', { device, write, error: 'simulated storage failure' });
    return write;
  }

  /** A `read` on `device` (written whole): each spec a write id (its row) or a row; the device's view follows. */
  read(device: string, rows: RowSpec[]): number {
    const full = rows.map((spec) => (typeof spec === 'string' ? this.row(spec) : { id: `id-${spec.task}`, title: spec.task, completed: false, deleted: false, write: null, ...spec }));
    for (const spec of rows) if (typeof spec === 'string') this.views.set(`${device}\u0000${this.taskOf(spec)}`, spec);
    return this.push('read', { device, cause: 'step', rows: full.map(({ task, id, title, completed }) => ({ task, id, title, completed })) });
  }

  taskOf(write: string): string {
    const op = this.writes.get(write);
    if (op === undefined) throw new Error(`unknown write ${write}`);
    return op.task;
  }

  serverApply(write: string, result: 'applied' | 'duplicate' | 'conflict' | 'rejected' = 'applied', extra: Record<string, unknown> = {}): number {
    return this.push('server.apply', { write, task: this.taskOf(write), result, version: 1, cursor: this.events.length, ...extra });
  }

  deviceApply(device: string, write: string | null, source: 'local' | 'pull' | 'reply' = 'pull', task?: string): number {
    if (write !== null) this.views.set(`${device}\u0000${this.taskOf(write)}`, write);
    return this.push('device.apply', { device, task: task ?? (write === null ? '?' : this.taskOf(write)), write, source });
  }

  fault(kind: FaultKind | 'final-heal', detail: Record<string, unknown> = {}): number {
    return this.push('fault', { kind, detail });
  }

  /** The write reaches the server after `ms`, then every other device `ms` later. */
  propagate(write: string, ms = 100): this {
    this.after(ms).serverApply(write);
    this.after(ms);
    for (const device of this.devices) if (device !== this.writes.get(write)!.device) this.deviceApply(device, write);
    return this;
  }

  /** A row showing a write's value, as every node stores the task `id-<task>`. */
  row(write: string, overrides: Partial<SnapshotRow> = {}): SnapshotRow {
    const op = this.writes.get(write)!;
    return { task: op.task, id: `id-${op.task}`, title: op.value.title, completed: op.value.completed, deleted: op.value.deleted, write, ...overrides };
  }

  /** A snapshot of `node`: each spec a write id (its row) or a row given in full. */
  snapshot(node: string, rows: RowSpec[]): number {
    const tasks = rows.map((spec) => (typeof spec === 'string' ? this.row(spec) : { id: `id-${spec.task}`, title: spec.task, completed: false, deleted: false, write: null, ...spec }));
    return this.push('snapshot', { node, tasks, queue: [] });
  }

  /** The final heal, then a snapshot of the server and every device holding `writes`. */
  settle(writes: string[], after = 1000): this {
    this.after(after).fault('heal', { final: true });
    this.after(after);
    for (const device of this.devices) this.snapshot(device, writes);
    this.snapshot('server', writes);
    return this;
  }
}

/**
 * A run every checker passes: phone creates t1, ipad edits it; phone creates t2 and
 * deletes it; every write reaches the server and the other device; the final heal and
 * snapshots follow.
 */
export function healthyRun(): TraceBuilder {
  const b = new TraceBuilder();
  const a1 = b.create('phone', 't1', 'Buy milk');
  b.deviceApply('phone', a1, 'local');
  b.propagate(a1);
  const b1 = b.after(1000).update('ipad', 't1', { title: 'Buy oat milk', completed: true });
  b.deviceApply('ipad', b1, 'local');
  b.propagate(b1);
  const a2 = b.after(1000).create('phone', 't2', 'Call mum');
  b.propagate(a2);
  const a3 = b.after(1000).delete('phone', 't2');
  b.propagate(a3);
  return b.settle([b1, a3]);
}

/** The seqs of a builder's op events, by write. */
export const seqOf = (b: TraceBuilder, write: string): number => b.writes.get(write)!.seq;
