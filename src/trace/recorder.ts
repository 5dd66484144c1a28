import { createHash, type Hash } from 'node:crypto';
import { assert } from '../kernel/assert.ts';
import type { AnyTraceEvent, KnownEventType, TraceEventFields } from './events.ts';

/** Where simulated components write trace events: the kernel supplies seq and t. */
export interface TraceSink {
  record<K extends KnownEventType>(type: K, fields: TraceEventFields[K]): void;
  /** For event types other tools add (ignored by readers that do not know them). */
  recordCustom(type: string, fields: Record<string, unknown>): void;
}

/**
 * Records events as JSON Lines with consecutive seq numbers, keeping both the parsed
 * events (for checkers) and the exact lines (for the file), and a running SHA-256 over
 * the lines so `run.end` can carry the hash of everything before it.
 */
export class TraceRecorder implements TraceSink {
  readonly events: AnyTraceEvent[] = [];
  private readonly lines: string[] = [];
  private readonly hash: Hash = createHash('sha256');
  /** Lines not yet fed to the hash: hashing in chunks is far cheaper than line by line. */
  private hashedLines = 0;

  constructor(private readonly now: () => number) {}

  record<K extends KnownEventType>(type: K, fields: TraceEventFields[K]): void {
    this.append(type, fields as Record<string, unknown>);
  }

  recordCustom(type: string, fields: Record<string, unknown>): void {
    assert(!('seq' in fields || 't' in fields || 'type' in fields), `event ${type} may not set seq, t or type`);
    this.append(type, fields);
  }

  private append(type: string, fields: Record<string, unknown>): void {
    const event = { seq: this.events.length, t: this.now(), type, ...fields } as AnyTraceEvent;
    const line = JSON.stringify(event);
    this.events.push(event);
    this.lines.push(line);
    if (this.lines.length - this.hashedLines >= 4096) this.feedHash();
  }

  private feedHash(): void {
    if (this.hashedLines === this.lines.length) return;
    this.hash.update(this.lines.slice(this.hashedLines).join('\n') + '\n');
    this.hashedLines = this.lines.length;
  }

  get length(): number {
    return this.events.length;
  }

  /** SHA-256 (hex) of every line recorded so far, newlines included. */
  digest(): string {
    this.feedHash();
    return this.hash.copy().digest('hex');
  }

  /** Records `run.end` with the hash of every previous line. */
  end(ok: boolean, violations: string[]): void {
    this.record('run.end', { ok, violations, hash: this.digest() });
  }

  toJSONL(): string {
    return this.lines.length === 0 ? '' : this.lines.join('\n') + '\n';
  }
}
