/**
 * Parses a trace as its bytes arrive, line by line, so that drawing can start as soon as the
 * last byte is in. It keeps only the rules the viewer's indexes rely on (JSON objects in seq
 * order, t never going back). The reader (parseTrace, run by the check worker) judges the
 * trace and names the line of any problem: here a bad line only stops the parse.
 */
import type { AnyTraceEvent } from '../../../src/trace/events.ts';

export class IncrementalParser {
  readonly events: AnyTraceEvent[] = [];
  /** False once a line could not be read; the reader's located message tells why. */
  readable = true;
  /** Milliseconds spent parsing, for the load's phases. */
  parseMs = 0;
  private readonly decoder = new TextDecoder();
  private rest = '';
  private previousT = 0;

  /** Takes the next chunk of bytes and returns its text (for the reader). */
  pushBytes(bytes: Uint8Array): string {
    const text = this.decoder.decode(bytes, { stream: true });
    this.push(text);
    return text;
  }

  /** Takes the next piece of text; a line split across pieces waits for its end. */
  push(text: string): void {
    if (!this.readable) return;
    const started = performance.now();
    const lines = (this.rest + text).split('\n');
    this.rest = lines.pop()!;
    for (let i = 0; i < lines.length && this.readable; i++) this.line(lines[i]!);
    this.parseMs += performance.now() - started;
  }

  /** The end of the input: returns the text the decoder still held, if any. */
  end(): string {
    const tail = this.decoder.decode();
    this.push(tail);
    if (this.readable && this.rest !== '') this.line(this.rest);
    this.rest = '';
    return tail;
  }

  private line(raw: string): void {
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      // A blank line is fine at the end; anywhere else the reader will say so.
      if (raw.trim() !== '') this.readable = false;
      return;
    }
    const event = value as Partial<AnyTraceEvent> | null;
    if (typeof event !== 'object' || event === null || event.seq !== this.events.length || typeof event.type !== 'string'
      || typeof event.t !== 'number' || event.t < this.previousT) {
      this.readable = false;
      return;
    }
    this.previousT = event.t;
    this.events.push(event as AnyTraceEvent);
  }
}
