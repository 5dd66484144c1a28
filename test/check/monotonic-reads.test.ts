import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkMonotonicReads } from '../../src/check/index.ts';
import { TraceBuilder } from './trace-builder.ts';

const history = (devices = ['phone', 'ipad']) => new TraceBuilder(devices, { history: true });

describe('monotonic-reads', () => {
  it('passes when a device sees values only move forward', () => {
    const b = history();
    const a = b.at(1000).create('ipad', 't', 'Buy milk');
    b.after(100).read('phone', [a]);
    const c = b.after(2000).update('ipad', 't', { title: 'Buy oat milk' });
    b.after(100).read('phone', [c]);
    b.after(100).read('phone', [c]);
    const result = checkMonotonicReads(b.events);
    expect(result.ok).toBe(true);
    expect(result.stats!.judged).toBeGreaterThan(0);
  });

  it('fails when a read shows an older value after a newer one', () => {
    const b = history();
    const a = b.at(1000).create('ipad', 't', 'Buy milk');
    const c = b.after(2000).update('ipad', 't', { title: 'Buy oat milk' });
    const first = b.after(100).read('phone', [c]);
    const back = b.after(100).read('phone', [a]);
    const result = checkMonotonicReads(b.events);
    expect(result.ok).toBe(false);
    expect(result.violations[0]).toMatchObject({ task: 't', writes: [c, a] });
    expect(result.violations[0]!.seqs).toEqual(expect.arrayContaining([first, back]));
  });

  it('fails when a task it showed is missing though nobody deleted it; passes when it was deleted', () => {
    const b = history();
    const a = b.at(1000).create('ipad', 't', 'Buy milk');
    b.after(100).read('phone', [a]);
    b.after(100).read('phone', []);
    expect(checkMonotonicReads(b.events).violations[0]!.message).toMatch(/misses task t, which it showed before/);

    const ok = history();
    const x = ok.at(1000).create('ipad', 't', 'Buy milk');
    ok.after(100).read('phone', [x]);
    ok.after(100).delete('ipad', 't');
    ok.after(100).read('phone', []);
    expect(checkMonotonicReads(ok.events).ok).toBe(true);
  });

  it('fails when a task comes back live after the device showed it deleted', () => {
    const b = history();
    const a = b.at(1000).create('ipad', 't', 'Buy milk');
    b.after(100).read('phone', [a]);
    b.after(100).delete('ipad', 't');
    b.after(100).read('phone', []);
    const back = b.after(100).read('phone', [a]);
    const result = checkMonotonicReads(b.events);
    expect(result.violations[0]!.message).toMatch(/live again/);
    expect(result.violations[0]!.seqs).toContain(back);
  });

  it('accepts a write made over the value it showed, whatever its stamp', () => {
    const b = history();
    const a = b.at(1000).create('phone', 't', 'Draft', { stamp: '9' });
    b.after(100).read('ipad', [a]);
    const c = b.after(100).update('ipad', 't', { title: 'Draft (ipad)' }, { stamp: '1' });
    b.after(100).read('ipad', [c]);
    expect(checkMonotonicReads(b.events).ok).toBe(true);
  });

  it('holds exactly when the values a device reads never go back (property)', () => {
    fc.assert(fc.property(fc.array(fc.nat(9), { minLength: 1, maxLength: 25 }), (indices) => {
      const b = history();
      const writes = [b.at(1000).create('ipad', 't', 'w0')];
      for (let i = 1; i < 10; i++) writes.push(b.after(1500).update('ipad', 't', { title: `w${i}` }));
      for (const i of indices) b.after(10).read('phone', [writes[i]!]);
      const monotonic = indices.every((v, i) => i === 0 || v >= indices[i - 1]!);
      expect(checkMonotonicReads(b.events).ok).toBe(monotonic);
    }));
  });
});
