import type { AnyTraceEvent, KnownEventType } from '../trace/index.ts';
import { withoutQuery } from './sync-latency.ts';

/**
 * What the checkers keep of an event read from a file: of the message events, which are
 * most of a trace, only what a checker reads (a send's sender and endpoint, for loss
 * episodes; how many of each kind, for the stats); of events no checker knows, the header. Every other
 * event is kept whole. The checkers judge the compact events exactly as the whole ones
 * (test/check/compact.test.ts), in a fraction of the memory: `syncsim check` reads a
 * trace of millions of events this way.
 */
export interface CheckerCompaction {
  /** What to keep of a validated event. */
  compact(event: AnyTraceEvent): AnyTraceEvent;
  /**
   * A message line in the exact form syncsim writes, read straight into what `compact`
   * keeps of it, without JSON.parse (most of a file's lines, and most of the time it takes
   * to read it); undefined for any other line, which is then parsed and validated in full.
   */
  fastLine(line: string): AnyTraceEvent | undefined;
}

// JSON as syncsim writes it: integers of at most 15 digits (exact as doubles), strings with
// no escape and no control character (their JSON text is their value). A line of this form
// is valid JSON with the message fields of the right kinds (event-shapes.ts), so accepting
// it here is accepting it there; seq and t are still checked by the reader.
const INT = '-?(?:0|[1-9]\\d{0,14})';
const STR = '"[^"\\\\\\u0000-\\u001f]*"';
/** A string of that form, its text captured. */
const NAME = '"([^"\\\\\\u0000-\\u001f]*)"';
const MESSAGE_LINE = new RegExp(
  `^\\{"seq":(${INT}),"t":(${INT}),"type":"msg\\.(send|deliver)","msg":${INT},"from":${NAME},"to":${STR},"method":${NAME},"path":${NAME}(?:,"reply":${INT},"status":${INT})?\\}$`,
);

/** Fields of the frequent events whose values come from a small set (never ids or titles, which are many). */
const NAMING_FIELDS = ['type', 'device', 'kind', 'source', 'cause', 'result', 'op', 'from', 'to', 'method', 'reason', 'checker'] as const;
/** Longer values are not names: interning them would only grow the table. */
const MAX_NAME_LENGTH = 64;

export function compactForCheckers(): CheckerCompaction {
  // One string per name (a sender, a type, an endpoint), however many events name it.
  const names = new Map<string, string>();
  const intern = (name: string) => {
    const known = names.get(name);
    if (known !== undefined) return known;
    // A copy of its own: a name cut from a line may be a slice that keeps the whole piece of the file alive.
    const own = JSON.parse(JSON.stringify(name)) as string;
    names.set(own, own);
    return own;
  };
  // JSON.parse gives every value its own string: "device.apply" a million times over. The
  // fields that name a few things (types, devices, kinds, sources) share one string each.
  const shared = (event: AnyTraceEvent): AnyTraceEvent => {
    const fields = event as unknown as Record<string, unknown>;
    for (const field of NAMING_FIELDS) {
      const value = fields[field];
      if (typeof value === 'string' && value.length <= MAX_NAME_LENGTH) fields[field] = intern(value);
    }
    return event;
  };
  // A send keeps its sender (loss episodes, stats) and its endpoint: a loss episode ends at the retry (sync-latency.ts).
  const send = (seq: number, t: number, from: string, method: string, path: string) =>
    ({ seq, t, type: 'msg.send', from: intern(from), method: intern(method), path: intern(withoutQuery(path)) }) as AnyTraceEvent;
  const header = (seq: number, t: number, type: string) => ({ seq, t, type }) as AnyTraceEvent;
  return {
    compact(event) {
      switch (event.type as KnownEventType) {
        case 'msg.send': {
          const message = event as { from: string; method: string; path: string };
          return send(event.seq, event.t, message.from, message.method, message.path);
        }
        case 'msg.deliver': return header(event.seq, event.t, 'msg.deliver');
        case 'msg.dup': return header(event.seq, event.t, 'msg.dup');
        case 'op': case 'msg.drop': case 'fault': case 'server.apply': case 'device.apply':
        case 'check': case 'invoke': case 'ok': case 'fail': case 'read':
          return shared(event);
        case 'run.start': case 'snapshot': case 'engine-error': case 'run.end':
          return event;
        default:
          return header(event.seq, event.t, intern(event.type));
      }
    },
    fastLine(line) {
      if (line.charCodeAt(line.length - 1) !== 0x7d) return undefined;
      const m = MESSAGE_LINE.exec(line);
      if (m === null) return undefined;
      const seq = Number(m[1]);
      const t = Number(m[2]);
      return m[3] === 'send' ? send(seq, t, m[4]!, m[5]!, m[6]!) : header(seq, t, 'msg.deliver');
    },
  };
}
