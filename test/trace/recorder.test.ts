import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { TraceRecorder } from '../../src/trace/index.ts';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** A recorder on a clock the test moves by hand. */
function recorder() {
  const clock = { t: 0 };
  return { clock, trace: new TraceRecorder(() => clock.t) };
}

describe('TraceRecorder', () => {
  it('numbers events from 0 and stamps them with the clock', () => {
    const { clock, trace } = recorder();
    trace.record('fault', { kind: 'offline', detail: { device: 'phone' } });
    clock.t = 25;
    trace.record('msg.send', { msg: 1, from: 'phone', to: 'server', method: 'GET', path: '/v1/tasks' });
    trace.recordCustom('engine.note', { text: 'hello' });
    expect(trace.events.map((e) => [e.seq, e.t, e.type])).toEqual([
      [0, 0, 'fault'],
      [1, 25, 'msg.send'],
      [2, 25, 'engine.note'],
    ]);
    expect(trace.length).toBe(3);
  });

  it('writes seq, t and type first, then the fields in their given order', () => {
    const { trace } = recorder();
    trace.record('device.apply', { device: 'phone', task: 'a', write: 'phone#1', source: 'local' });
    const [line] = trace.toJSONL().split('\n');
    expect(line).toBe('{"seq":0,"t":0,"type":"device.apply","device":"phone","task":"a","write":"phone#1","source":"local"}');
    expect(Object.keys(trace.events[0]!)).toEqual(['seq', 't', 'type', 'device', 'task', 'write', 'source']);
  });

  it('toJSONL is one line per event, ending with a newline; empty for no events', () => {
    const { trace } = recorder();
    expect(trace.toJSONL()).toBe('');
    trace.recordCustom('a', {});
    trace.recordCustom('b', { x: 1 });
    const text = trace.toJSONL();
    expect(text.endsWith('\n')).toBe(true);
    expect(text.split('\n')).toEqual(['{"seq":0,"t":0,"type":"a"}', '{"seq":1,"t":0,"type":"b","x":1}', '']);
  });

  it('digest() is the sha256 of the JSONL text so far', () => {
    const { clock, trace } = recorder();
    expect(trace.digest()).toBe(sha256(''));
    trace.record('check', { checker: 'lww', ok: true, detail: null });
    expect(trace.digest()).toBe(sha256(trace.toJSONL()));
    clock.t = 9;
    trace.recordCustom('x', { nested: { a: [1, 2] } });
    expect(trace.digest()).toBe(sha256(trace.toJSONL()));
  });

  it('end() appends run.end carrying the hash of every line before it', () => {
    const { clock, trace } = recorder();
    trace.record('op', {
      device: 'phone', write: 'phone#1', kind: 'create', task: 'a',
      value: { title: 'milk', completed: false, deleted: false }, basis: null, stamp: '0001',
    });
    clock.t = 40;
    const before = trace.toJSONL();
    trace.end(false, ['lww']);
    const last = trace.events.at(-1)!;
    expect(last).toEqual({ seq: 1, t: 40, type: 'run.end', ok: false, violations: ['lww'], hash: sha256(before) });
    expect(trace.toJSONL().startsWith(before)).toBe(true);
  });
});
