import { checkerNames } from '../../src/check/index.ts';
/**
 * Loading a trace: the page's incremental parse (drawn from as bytes arrive) agrees with the
 * validating reader, and the worker's verdict names the line of any problem.
 */
import { describe, expect, it } from 'vitest';
import { parseTrace, TraceRecorder } from '../../src/trace/index.ts';
import { IncrementalParser } from '../../viewer/src/model/incremental-parse.ts';
import { judgeStreamed, judgeTrace, startOfLastLine } from '../../viewer/src/model/judge.ts';
import { syntheticTrace } from './synthetic-trace.ts';

/** A short valid trace whose titles hold multi-byte characters. */
function unicodeTrace(): string {
  let t = 0;
  const trace = new TraceRecorder(() => t++);
  trace.record('run.start', { version: 1, scenario: 'unicode', seed: 1, engine: 'x', devices: [{ id: 'phone', skew: 0 }] });
  for (const [i, title] of ['Café ☕', '日本語のタスク', 'emoji 🧪🚀', 'ascii'].entries()) {
    trace.record('op', { device: 'phone', write: `phone#${i + 1}`, kind: 'create', task: `t${i}`, value: { title, completed: false, deleted: false }, basis: null, stamp: String(i) });
  }
  trace.end(true, []);
  return trace.toJSONL();
}

/** Feeds `bytes` to a parser in pieces of `size` bytes; returns the parser and the text it passed on. */
function feed(bytes: Uint8Array, size: number): { parser: IncrementalParser; text: string } {
  const parser = new IncrementalParser();
  let text = '';
  for (let i = 0; i < bytes.length; i += size) text += parser.pushBytes(bytes.subarray(i, i + size));
  text += parser.end();
  return { parser, text };
}

const encode = (text: string) => new TextEncoder().encode(text);

describe('incremental parse', () => {
  it('gives the reader\'s events whatever the chunk size, multi-byte characters split or not', () => {
    for (const source of [unicodeTrace(), syntheticTrace(600), syntheticTrace(600, undefined, { history: true })]) {
      const expected = parseTrace(source);
      for (const size of [1, 3, 7, 64, 4096, 1 << 20]) {
        const { parser, text } = feed(encode(source), size);
        expect(parser.readable).toBe(true);
        expect(parser.events).toEqual(expected);
        expect(text).toBe(source);
      }
    }
  });

  it('takes CRLF line ends and blank lines at the end', () => {
    const source = unicodeTrace().replaceAll('\n', '\r\n') + '\r\n\n';
    const { parser } = feed(encode(source), 5);
    expect(parser.readable).toBe(true);
    expect(parser.events).toEqual(parseTrace(source));
  });

  it('stops at a line it cannot read, keeping what came before', () => {
    const lines = unicodeTrace().split('\n');
    const cases = [
      lines[2]!.slice(0, 20), // truncated JSON
      '[1, 2]', // not an object
      lines[2]!.replace('"seq":2', '"seq":7'), // out of order
      lines[2]!.replace('"t":2', '"t":-1'), // back in time
      lines[2]!.replace('"type":"op"', '"type":3'),
    ];
    for (const bad of cases) {
      const { parser } = feed(encode([lines[0], lines[1], bad, lines[3]].join('\n')), 16);
      expect(parser.readable).toBe(false);
      expect(parser.events).toHaveLength(2);
    }
  });
});

describe('the verdict', () => {
  it('runs every checker on a valid trace', async () => {
    const verdict = await judgeTrace('t.jsonl', syntheticTrace(600));
    expect(verdict.ok).toBe(true);
    if (!verdict.ok) return;
    // The run's whole verdict, as `syncsim run` gives it: every checker, then the recorded ones.
    const names = verdict.results.map((r) => r.checker);
    expect(names.slice(0, checkerNames.length)).toEqual([...checkerNames]);
    expect(names).toContain('engine-error');
    expect(verdict.run).toMatchObject({ ok: expect.any(Boolean), expectedViolations: [] });
  });

  it('names the line of a truncated trace and of a hash that does not match', async () => {
    const source = unicodeTrace();
    const truncated = await judgeTrace('t.jsonl', source.slice(0, source.indexOf('\n', source.indexOf('\n') + 1) + 30));
    expect(truncated).toEqual({ ok: false, message: expect.stringMatching(/^t\.jsonl: line 3: not valid JSON.*truncated/) });
    const tampered = await judgeTrace('t.jsonl', source.replace('Café', 'Cafe'));
    expect(tampered).toEqual({ ok: false, message: expect.stringMatching(/^t\.jsonl: line 6: run\.end hash .* does not match/) });
  });

  it('calls an empty file empty', async () => {
    expect(await judgeTrace('e.jsonl', '\n')).toEqual({ ok: false, message: 'e.jsonl: line 1: the trace is empty: a trace starts with a run.start event' });
  });

  it('checks run.end over the file\'s bytes with a native hash, with the same verdict as the reader\'s own hashing', async () => {
    const nativeHash = (data: Uint8Array) => async (length: number) =>
      Buffer.from(await crypto.subtle.digest('SHA-256', data.slice(0, length))).toString('hex');
    const source = unicodeTrace();
    const lines = source.trimEnd().split('\n');
    const texts = [
      source,
      source + '\n \n',
      source.replace('Café', 'Cafe'), // tampered: the hash does not match
      source.replaceAll('\n', '\r\n'), // CR line ends: read the reader's way
      [...lines, lines.at(-1)!.replace('"seq":5', '"seq":6')].join('\n') + '\n', // two run.end lines
      [...lines.slice(0, -1), lines.at(-1)!.replace(/"hash":"[0-9a-f]+"/, '"hash":"00"'), ''].join('\n'),
      source.slice(0, -20), // truncated in run.end
      syntheticTrace(300),
    ];
    for (const text of texts) {
      const data = new TextEncoder().encode(text);
      const cut = Math.floor(text.length / 3);
      const streamed = await judgeStreamed({ name: 't.jsonl', pieces: [text.slice(0, cut), text.slice(cut)], bytes: { data, hash: nativeHash(data) } });
      const strip = (v: Awaited<ReturnType<typeof judgeTrace>>) => (v.ok ? { ok: true, results: v.results } : v);
      expect(strip(streamed)).toEqual(strip(await judgeTrace('t.jsonl', text)));
    }
  });

  it('finds where the last line starts, past trailing blanks', () => {
    const bytes = new TextEncoder().encode('{"a":1}\n{"b":2}\n \r\n');
    expect(startOfLastLine(bytes)).toBe(8);
    expect(startOfLastLine(new TextEncoder().encode('{"only":1}'))).toBe(0);
  });
});
