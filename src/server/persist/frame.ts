import { crc32 } from 'node:zlib';

/**
 * The journal's byte format: a magic line, then one frame per record:
 *
 *     R<length: 8 hex> <crc32 of the payload: 8 hex> <payload bytes>\n
 *
 * The length says where a frame must end, so a frame cut short by a kill is told from a
 * whole one; the checksum tells a whole frame from garbage. The payload is UTF-8 JSON
 * (JSON.stringify never writes a raw newline), so the file is also readable with `less`.
 */

export const MAGIC = 'syncsim-journal 1\n';
const MAGIC_BYTES = Buffer.from(MAGIC, 'latin1');
const HEADER_BYTES = 19; // 'R' + 8 hex + ' ' + 8 hex + ' '
const R = 0x52;
const SPACE = 0x20;
const NEWLINE = 0x0a;
/** A record larger than this is not one we wrote (the body cap is 1 MiB; base64 and headers add a third). */
export const MAX_PAYLOAD_BYTES = 8 * 1024 * 1024;

export function encodeFrame(payload: Uint8Array): Buffer {
  if (payload.length > MAX_PAYLOAD_BYTES) throw new Error(`a journal record of ${payload.length} bytes is over the ${MAX_PAYLOAD_BYTES}-byte cap`);
  const header = `R${hex8(payload.length)} ${hex8(crc32(payload))} `;
  const frame = Buffer.allocUnsafe(HEADER_BYTES + payload.length + 1);
  frame.write(header, 0, 'latin1');
  frame.set(payload, HEADER_BYTES);
  frame[frame.length - 1] = NEWLINE;
  return frame;
}

const hex8 = (n: number) => (n >>> 0).toString(16).padStart(8, '0');

/** A frame read at an offset: its payload and where the next frame starts, or why it is not a frame. */
export type FrameRead = { ok: true; payload: Buffer; end: number } | { ok: false; problem: string };

export function readFrame(buf: Buffer, at: number): FrameRead {
  if (buf.length - at < HEADER_BYTES) return { ok: false, problem: 'a record header cut short' };
  if (buf[at] !== R || buf[at + 9] !== SPACE || buf[at + 18] !== SPACE) return { ok: false, problem: 'not a record header' };
  const length = parseHex8(buf, at + 1);
  const sum = parseHex8(buf, at + 10);
  if (length === null || sum === null) return { ok: false, problem: 'not a record header' };
  if (length > MAX_PAYLOAD_BYTES) return { ok: false, problem: `a record length of ${length} bytes, over the cap` };
  const end = at + HEADER_BYTES + length + 1;
  if (end > buf.length) return { ok: false, problem: `a record cut short (${buf.length - at} of ${end - at} bytes)` };
  if (buf[end - 1] !== NEWLINE) return { ok: false, problem: 'a record that does not end where its length says' };
  const payload = buf.subarray(at + HEADER_BYTES, end - 1);
  if (crc32(payload) >>> 0 !== sum) return { ok: false, problem: 'a record whose checksum does not match' };
  return { ok: true, payload, end };
}

function parseHex8(buf: Buffer, at: number): number | null {
  let n = 0;
  for (let i = at; i < at + 8; i++) {
    const c = buf[i]!;
    const digit = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : -1;
    if (digit < 0) return null;
    n = n * 16 + digit;
  }
  return n;
}

/** What a scan of a journal file found. */
export interface JournalScan {
  /** Each whole record: where it starts in the file and its payload. */
  records: Array<{ offset: number; payload: Buffer }>;
  /** Bytes of the file that hold the magic line and whole records: append from here. */
  goodLength: number;
  /** A record cut short or garbled at the very end (a kill during a write): dropped. */
  droppedTail: { offset: number; bytes: number; problem: string } | null;
  /** The file was empty (or a cut-short magic line): a new journal. */
  fresh: boolean;
}

/** Bad journal content the user must look at: never dropped silently. */
export class JournalCorruptError extends Error {
  override name = 'JournalCorruptError';
  constructor(readonly offset: number, readonly problem: string) {
    super(problem);
  }
}

/**
 * Reads every record. A bad frame with no whole frame after it is a torn tail (the only
 * damage a kill can do to an append-only file) and is dropped; a bad frame followed by a
 * whole one is corruption in the middle, and dropping it would lose acknowledged writes.
 */
export function scanJournal(buf: Buffer): JournalScan {
  if (buf.length < MAGIC_BYTES.length && MAGIC_BYTES.subarray(0, buf.length).equals(buf)) {
    return { records: [], goodLength: 0, droppedTail: null, fresh: true };
  }
  if (!buf.subarray(0, MAGIC_BYTES.length).equals(MAGIC_BYTES)) {
    throw new JournalCorruptError(0, `not a syncsim journal (it does not start with "${MAGIC.trim()}")`);
  }
  const records: JournalScan['records'] = [];
  let at = MAGIC_BYTES.length;
  while (at < buf.length) {
    const frame = readFrame(buf, at);
    if (frame.ok) {
      records.push({ offset: at, payload: frame.payload });
      at = frame.end;
      continue;
    }
    const later = nextWholeFrame(buf, at + 1);
    if (later !== null) {
      throw new JournalCorruptError(at, `record ${records.length + 1} at byte ${at} is damaged (${frame.problem}), and whole records follow it at byte ${later}`);
    }
    return { records, goodLength: at, droppedTail: { offset: at, bytes: buf.length - at, problem: frame.problem }, fresh: false };
  }
  return { records, goodLength: at, droppedTail: null, fresh: false };
}

/** The offset of the first whole frame at or after `from` (frames start after a newline), or null. */
function nextWholeFrame(buf: Buffer, from: number): number | null {
  for (let i = buf.indexOf(NEWLINE, from - 1); i >= 0 && i + 1 < buf.length; i = buf.indexOf(NEWLINE, i + 1)) {
    if (buf[i + 1] === R && readFrame(buf, i + 1).ok) return i + 1;
  }
  return null;
}
