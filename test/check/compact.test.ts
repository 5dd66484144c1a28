/**
 * The events `syncsim check` keeps (compactForCheckers) are judged exactly as the whole
 * ones: the same verdict, checks, stats and violations, on recorded runs that pass and
 * fail, and on a large generated trace.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/api/run-scenario.ts';
import { compactForCheckers } from '../../src/check/compact.ts';
import { judgeRun } from '../../src/check/index.ts';
import { TraceReader, type AnyTraceEvent } from '../../src/trace/index.ts';
import { largeTrace } from './large-trace.ts';

const compacted = (events: readonly AnyTraceEvent[]) => events.map(compactForCheckers().compact);

describe('compactForCheckers', () => {
  it.each([
    ['scenarios/poor-network-retries.yaml', 'reference'],
    ['scenarios/lost-reply-idempotency.yaml', 'naive'],
    ['scenarios/lost-reply-idempotency.yaml', 'mutant:key-per-attempt'],
  ])('%s with %s: the same verdict from the compact events', async (file, engine) => {
    const run = await runScenario(file, { seed: 3, engine });
    const verdict = judgeRun(run.events);
    if (engine !== 'reference') expect(verdict.violations.length).toBeGreaterThan(0);
    expect(judgeRun(compacted(run.events))).toEqual(verdict);
  });

  it('a large generated trace: the same verdict, and message events keep only their header (and a send its sender and endpoint)', () => {
    const events = largeTrace(50_000);
    const compact = compacted(events);
    expect(judgeRun(compact)).toEqual(judgeRun(events));
    const send = compact.find((e) => e.type === 'msg.send')!;
    expect(Object.keys(send)).toEqual(['seq', 't', 'type', 'from', 'method', 'path']);
    expect((send as { path: string }).path).not.toContain('?');
  });
});

describe('compactForCheckers().fastLine', () => {
  const start = '{"seq":0,"t":0,"type":"run.start","version":1,"scenario":"s","seed":1,"engine":"e","devices":[]}';
  /** The reader's outcome on run.start and `line`: its events, or its error. */
  const outcome = (line: string, fast: boolean) => {
    const compaction = compactForCheckers();
    const reader = new TraceReader({ compact: compaction.compact, ...(fast && { fastLine: compaction.fastLine }) });
    try {
      reader.push(`${start}\n${line}\n`);
      return { events: reader.end() };
    } catch (error) {
      return { error: (error as Error).message };
    }
  };
  // Mostly what syncsim writes, now and then something near it.
  const int = fc.oneof(
    { arbitrary: fc.nat().map(String), weight: 12 },
    { arbitrary: fc.constantFrom('0', '-0', '01', '-1', '1.5', '1e3', '123456789012345', '1234567890123456', '99999999999999999999', '"1"', 'null'), weight: 1 },
  );
  const str = fc.oneof(
    { arbitrary: fc.constantFrom('"phone"', '"server"', '"GET"', '"/v1/tasks?since=3"', '""', '"é"', '"\u2028"'), weight: 12 },
    { arbitrary: fc.constantFrom('"a\\"b"', '"\\u0041"', '"tab\there"', 'null', '7', '"unterminated'), weight: 1 },
    { arbitrary: fc.string().map((s) => JSON.stringify(s)), weight: 1 },
  );
  const line = fc
    .record({
      seq: fc.constantFrom('1', '1', '1', '2', '01'), t: int, type: fc.constantFrom('msg.send', 'msg.deliver', 'msg.send', 'msg.deliver', 'msg.dup', 'msg.sendx'),
      msg: int, from: str, to: str, method: str, path: str, reply: fc.option(int), status: fc.option(int), tail: fc.constantFrom('}', '}', '}', '} ', ',"x":1}', '}}'),
    })
    .map((f) => `{"seq":${f.seq},"t":${f.t},"type":"${f.type}","msg":${f.msg},"from":${f.from},"to":${f.to},"method":${f.method},"path":${f.path}${f.reply === null ? '' : `,"reply":${f.reply}`}${f.status === null ? '' : `,"status":${f.status}`}${f.tail}`);

  it('reads a line exactly as JSON.parse and validation then compaction would, or declines it (property)', () => {
    let taken = 0;
    const fastLine = compactForCheckers().fastLine;
    fc.assert(
      fc.property(line, (text) => {
        if (fastLine(text) !== undefined) taken++;
        expect(outcome(text, true)).toEqual(outcome(text, false));
      }),
      { numRuns: 2000 },
    );
    expect(taken).toBeGreaterThan(100); // the fast path was exercised, not only its refusals
  });

  it('takes the lines syncsim writes', () => {
    const compaction = compactForCheckers();
    expect(compaction.fastLine('{"seq":5,"t":76,"type":"msg.send","msg":3,"from":"server","to":"phone","method":"GET","path":"/v1/tasks?since=0","reply":1,"status":200}')).toEqual({ seq: 5, t: 76, type: 'msg.send', from: 'server', method: 'GET', path: '/v1/tasks' });
    expect(compaction.fastLine('{"seq":6,"t":80,"type":"msg.deliver","msg":3,"from":"server","to":"phone","method":"GET","path":"/v1/tasks"}')).toEqual({ seq: 6, t: 80, type: 'msg.deliver' });
  });
});
