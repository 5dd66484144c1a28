import { isAscii, isUtf8 } from 'node:buffer';
import { createHash, type Hash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { runEndMismatch, TraceFormatError, TraceReader } from '../trace/index.ts';
import type { AnyTraceEvent, TraceReaderOptions } from '../trace/index.ts';

/**
 * How much of a file is read at a time. Small on purpose: each piece becomes a string of
 * its lines, and a string over ~128 KiB lives in V8's old generation (over ~1 MiB, outside
 * the heap) until a full collection; with 4 MiB pieces a 225 MB trace peaked 120 MB higher
 * (`check.file_peak_mb` 450 → 330), at no cost in time.
 */
const CHUNK_BYTES = 1 << 16;
/** The longest line a trace may have: a snapshot of 100,000 tasks fits many times; JavaScript strings end near 512 MiB. */
export const MAX_TRACE_LINE_BYTES = 128 << 20;

/** What to keep of each event, and a fast way to read some lines (see TraceReader); the default keeps events whole. */
export type TraceBytesOptions = Pick<TraceReaderOptions, 'compact' | 'fastLine'>;

/**
 * A trace as bytes, piece by piece (a file as it is read): each piece's complete lines are
 * checked to be UTF-8 (an invalid byte is an error at its line, never a silent U+FFFD),
 * decoded and handed to a TraceReader, so a file is never one string. run.end's hash is
 * computed natively over the bytes before its line (it must be the last event), which is
 * what the reader would hash when no line ends in CR; a trace with CRs is hashed by the
 * reader's own rules in a second pass (`end()` answers 'rehash').
 */
class TraceBytes {
  readonly reader: TraceReader;
  private readonly hash: Hash = createHash('sha256');
  /** Bytes not yet hashed: from the start of the last non-blank line seen. */
  private held: Uint8Array = new Uint8Array(0);
  /** The start of a line not complete yet, in pieces (joined once its newline comes). */
  private partial: Uint8Array[] = [];
  private partialBytes = 0;
  private lines = 0;

  constructor(
    options: TraceBytesOptions,
    private readonly nativeHash: boolean,
  ) {
    this.reader = new TraceReader({ hashRunEnd: !nativeHash, ...options });
  }

  push(bytes: Uint8Array): void {
    const cut = bytes.lastIndexOf(0x0a) + 1;
    if (cut === 0) return this.keepPartial(bytes);
    const head = bytes.subarray(0, cut);
    let complete = head;
    if (this.partial.length > 0) {
      complete = Buffer.concat([...this.partial, head]);
      this.partial = [];
      this.partialBytes = 0;
    }
    this.lines = this.feed(complete, this.lines);
    if (cut < bytes.length) this.keepPartial(bytes.subarray(cut));
  }

  /** The events; or 'rehash' when the hash must be the reader's own: a line ended in CR, which the hash leaves out. */
  end(): AnyTraceEvent[] | 'rehash' {
    if (this.partial.length > 0) this.feed(Buffer.concat(this.partial), this.lines);
    const events = this.reader.end();
    const [runEnd] = this.reader.uncheckedRunEnds;
    if (runEnd !== undefined) {
      if (this.reader.sawCarriageReturn) return 'rehash';
      const expected = this.hash.digest('hex');
      if (runEnd.hash !== expected) throw runEndMismatch(runEnd.index, runEnd.hash, expected);
    }
    return events;
  }

  private keepPartial(bytes: Uint8Array): void {
    this.partialBytes += bytes.length;
    if (this.partialBytes > MAX_TRACE_LINE_BYTES) throw new TraceFormatError(this.lines + 1, `the line is longer than ${MAX_TRACE_LINE_BYTES >> 20} MiB`);
    this.partial.push(Uint8Array.from(bytes)); // a copy: the caller reuses its buffer
  }

  /** Complete lines (or the last line): checked, decoded, read and hashed. Returns the lines seen after them. */
  private feed(bytes: Uint8Array, linesBefore: number): number {
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
    // ASCII (most traces) is valid UTF-8 and decodes fastest as Latin-1, to the same text.
    if (isAscii(buffer)) this.reader.push(buffer.toString('latin1'));
    else if (isUtf8(buffer)) this.reader.push(buffer.toString('utf8'));
    else throw new TraceFormatError(linesBefore + badLine(bytes), 'not valid UTF-8');
    if (this.nativeHash) this.hashBefore(bytes);
    let lines = linesBefore;
    for (let at = bytes.indexOf(0x0a); at !== -1; at = bytes.indexOf(0x0a, at + 1)) lines++;
    return lines;
  }

  /** Hashes everything before the last non-blank line seen so far, and holds that line back. */
  private hashBefore(bytes: Uint8Array): void {
    const start = startOfLastLine(bytes);
    if (start === -1) return; // only blank lines: they are trailing (fine) or an error the reader reports
    this.hash.update(this.held);
    this.hash.update(bytes.subarray(0, start));
    this.held = Uint8Array.from(bytes.subarray(start));
  }
}

/** Where the last non-blank line of `bytes` starts, or -1 when every line is blank. */
function startOfLastLine(bytes: Uint8Array): number {
  let end = bytes.length;
  while (end > 0 && isBlankByte(bytes[end - 1]!)) end--;
  if (end === 0) return -1;
  return bytes.lastIndexOf(0x0a, end - 1) + 1;
}

const isBlankByte = (b: number) => b === 0x0a || b === 0x0d || b === 0x20 || b === 0x09;

/** The 1-based line (within `bytes`) of the first invalid UTF-8. */
function badLine(bytes: Uint8Array): number {
  let line = 1;
  let from = 0;
  for (;;) {
    const newline = bytes.indexOf(0x0a, from);
    const to = newline === -1 ? bytes.length : newline;
    if (!isUtf8(bytes.subarray(from, to))) return line;
    if (newline === -1) return line;
    from = newline + 1;
    line++;
  }
}

/** Reads a trace from bytes (a file's content); throws a TraceFormatError naming the line. */
export function readTraceBytes(bytes: Uint8Array, options: TraceBytesOptions = {}): AnyTraceEvent[] {
  const read = (nativeHash: boolean) => {
    const trace = new TraceBytes(options, nativeHash);
    trace.push(bytes);
    return trace.end();
  };
  const events = read(true);
  return events === 'rehash' ? (read(false) as AnyTraceEvent[]) : events;
}

/**
 * Reads a trace file a piece at a time (never the whole file as one string), with the
 * rules of readTraceBytes. A file error (no such file) is thrown as Node gives it.
 */
export function readTraceFile(file: string, options: TraceBytesOptions = {}): AnyTraceEvent[] {
  const read = (nativeHash: boolean) => {
    const trace = new TraceBytes(options, nativeHash);
    const fd = openSync(file, 'r');
    try {
      const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
      for (let n = readSync(fd, buffer); n > 0; n = readSync(fd, buffer)) trace.push(buffer.subarray(0, n));
    } finally {
      closeSync(fd);
    }
    return trace.end();
  };
  const events = read(true);
  return events === 'rehash' ? (read(false) as AnyTraceEvent[]) : events;
}
