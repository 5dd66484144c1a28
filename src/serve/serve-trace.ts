import { closeSync, openSync, writeSync } from 'node:fs';
import type { KnownEventType, SnapshotRow, TraceEventFields } from '../trace/index.ts';

/**
 * The trace of a live server (`serve --trace FILE`), in the format of SPEC §5. Each event
 * is written to the file at once, whole lines in one write, so a kill leaves a readable
 * prefix. `t` is real milliseconds since the server started, never going back.
 *
 * run.start says `source: 'serve'` and lists no devices: the clients are whatever talks to
 * the server, named in messages by their X-Device-Id header or their user.
 */
export class ServeTrace {
  private seq = 0;
  private lastT = 0;
  private nextMsg = 1;
  private failed: Error | null = null;
  private closed = false;

  private constructor(
    readonly path: string,
    private readonly fd: number,
    private readonly clock: () => number,
    private readonly startedAt: number,
    private readonly onError: (error: Error) => void,
  ) {}

  /** Creates (truncates) FILE and writes run.start. */
  static open(path: string, start: ServeTraceStart, clock: () => number, onError: (error: Error) => void): ServeTrace {
    const trace = new ServeTrace(path, openSync(path, 'w'), clock, clock(), onError);
    trace.record('run.start', {
      version: 1, scenario: 'serve', seed: start.seed, engine: 'none', devices: [], source: 'serve',
      ...(start.extra ?? {}),
    } as TraceEventFields['run.start']);
    return trace;
  }

  /** A message id for a request or reply. */
  newMessage(): number {
    return this.nextMsg++;
  }

  record<K extends KnownEventType>(type: K, fields: TraceEventFields[K]): void {
    if (this.failed !== null || this.closed) return;
    const t = Math.max(this.lastT, Math.floor(this.clock() - this.startedAt));
    this.lastT = t;
    const line = JSON.stringify({ seq: this.seq, t, type, ...fields }) + '\n';
    try {
      writeSync(this.fd, line);
      this.seq++;
    } catch (error) {
      // The server keeps serving without its trace; the user is told once.
      this.failed = error instanceof Error ? error : new Error(String(error));
      this.onError(this.failed);
    }
  }

  /** A clean stop: the server's end state as a snapshot (what no-duplicates reads), then the file is closed. */
  close(rows: SnapshotRow[] | null): void {
    if (this.closed) return;
    if (rows !== null) this.record('snapshot', { node: 'server', tasks: rows, queue: [] });
    this.closed = true;
    closeSync(this.fd);
  }
}

export interface ServeTraceStart {
  seed: number;
  /** Extra run.start fields: the fault profile, the data file. */
  extra?: Record<string, unknown>;
}
