import { dirname, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Row } from '../engines/engine.ts';
import { ReadEncoder, type ReadCause, type ReadRow, type TaskValue, type TraceRecorder, type WriteKind } from '../trace/index.ts';
import type { TaskNames } from './task-names.ts';

/**
 * The users' history, recorded by the harness whatever the engine records (SPEC §5; as
 * Jepsen records its clients' history): each write's `invoke` and its `ok` or `fail`, and
 * each `read` of the list. Checkers judge an engine from this, not from its own account.
 */
export class History {
  private readonly encoders = new Map<string, ReadEncoder>();
  /** Returned writes by task: what a value the user sees in a row was made by. */
  private readonly valuesByTask = new Map<string, Array<{ write: string; value: TaskValue }>>();
  private readonly pending = new Map<string, { device: string; task: string; value: TaskValue }>();

  constructor(
    private readonly trace: TraceRecorder,
    private readonly names: TaskNames,
  ) {}

  invoke(device: string, write: string, kind: WriteKind, task: string, value: TaskValue, basis: string | null): void {
    this.names.nameWrite(write, task);
    this.pending.set(write, { device, task, value });
    this.trace.record('invoke', { device, write, kind, task, value, basis });
  }

  /** The write returned: committed locally. A create names the task by the id it returned. */
  ok(write: string, id?: string): void {
    const made = this.pending.get(write);
    if (made === undefined) return;
    this.pending.delete(write);
    if (id !== undefined) this.names.nameCreated(made.device, id, made.task);
    let values = this.valuesByTask.get(made.task);
    if (values === undefined) this.valuesByTask.set(made.task, (values = []));
    values.push({ write, value: made.value });
    this.trace.record('ok', { device: made.device, write, ...(id !== undefined && { id }) });
  }

  fail(write: string, error: string): void {
    const made = this.pending.get(write);
    if (made === undefined) return;
    this.pending.delete(write);
    this.trace.record('fail', { device: made.device, write, error });
  }

  /**
   * The write a row the user is about to edit reflects: the latest returned write of the
   * task with the row's value (the row's own `write` hint settles a tie), or null.
   */
  basisOf(task: string, row: Row): string | null {
    const values = this.valuesByTask.get(task);
    if (values === undefined) return null;
    let found: string | null = null;
    for (const { write, value } of values) {
      if (value.deleted || value.title !== row.title || value.completed !== row.completed) continue;
      if (write === row.write) return write;
      found = write;
    }
    return found;
  }

  /** The latest returned write of `task` with this value (any delete, for a tombstone), or null. */
  writeWithValue(task: string, value: TaskValue): string | null {
    const values = this.valuesByTask.get(task);
    if (values === undefined) return null;
    for (let i = values.length - 1; i >= 0; i--) {
      const made = values[i]!.value;
      if (value.deleted ? made.deleted : !made.deleted && made.title === value.title && made.completed === value.completed) return values[i]!.write;
    }
    return null;
  }

  /** Records what `device`'s list shows: its live rows, named as scenario tasks. */
  read(device: string, cause: ReadCause, rows: readonly Row[]): void {
    let encoder = this.encoders.get(device);
    if (encoder === undefined) this.encoders.set(device, (encoder = new ReadEncoder()));
    const live: ReadRow[] = [];
    for (const row of rows) {
      if (row.deleted === true) continue;
      // The previous read's row, unchanged and named, is handed back: not named again, and compared by identity.
      const before = encoder.previousRow(row.id);
      const same = before !== undefined && before.title === row.title && before.completed === row.completed && before.task !== row.id
        && before.task !== row.clientId && before.task !== row.serverId;
      live.push(same ? before : { task: this.names.rowTask(device, row), id: row.id, title: row.title, completed: row.completed });
    }
    this.trace.record('read', encoder.encode(this.trace.length, device, cause, live));
  }

  /** An engine call threw (anything but a LocalWriteError) or never settled: the run fails with `engine-error`. */
  engineError(device: string | null, step: number | null, call: string, error: unknown): void {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    const stack = error instanceof Error ? portableStack(error.stack ?? '') : '';
    this.trace.record('engine-error', { device, step, call, error: message, stack });
  }

  /** The task a row of `device` belongs to. */
  taskOf(device: string, row: Row): string {
    return this.names.rowTask(device, row);
  }
}

/** Where syncsim's own code lives (src/, or dist/ when built): its frames say nothing about an engine. */
const ownRoot = dirname(dirname(fileURLToPath(import.meta.url)));
const enginesRoot = `${ownRoot}${sep}engines${sep}`;

/**
 * An engine error's stack as the trace keeps it: the engine's frames only (the harness's
 * and Node's own depend on who called the run, a CLI or a campaign, and would make the
 * same run's trace differ), and paths relative to the working directory.
 */
function portableStack(stack: string): string {
  const [head = '', ...frames] = stack.split('\n');
  const kept = frames.filter((frame) => {
    if (frame.includes('node:internal') || frame.includes('(node:')) return false;
    const path = frame.replace('file://', '');
    return !path.includes(ownRoot) || path.includes(enginesRoot);
  });
  return [head, ...kept].join('\n').split(process.cwd()).join('.').replace(/file:\/\/\.?/g, '');
}
