import { describe, expect, it } from 'vitest';
import { checkConvergence } from '../../src/check/index.ts';
import { healthyRun, seqOf, TraceBuilder } from './trace-builder.ts';

/** phone creates t1 and edits it; ipad gets both; the test writes the snapshots. */
function twoWrites() {
  const b = new TraceBuilder();
  const w1 = b.create('phone', 't1', 'Buy milk');
  b.propagate(w1);
  const w2 = b.after(1000).update('phone', 't1', { title: 'Buy oat milk' });
  b.propagate(w2);
  b.after(1000).fault('heal', { final: true });
  return { b, w1, w2 };
}

describe('convergence', () => {
  it('passes when every device shows the server\'s live tasks', () => {
    expect(checkConvergence(healthyRun().events)).toMatchObject({ ok: true, violations: [], stats: { devices: 2, liveTasks: 1 } });
  });

  it('ignores tombstones: a deleted row equals a missing one', () => {
    const b = new TraceBuilder();
    const w1 = b.create('phone', 't1', 'Buy milk');
    const w2 = b.delete('phone', 't1');
    b.snapshot('phone', [w2]);
    b.snapshot('ipad', []);
    b.snapshot('server', [w2]);
    expect(checkConvergence(b.events).ok).toBe(true);
    expect(w1).toBe('phone#1');
  });

  it('fails when a device shows another value than the server, naming both', () => {
    const { b, w1, w2 } = twoWrites();
    b.snapshot('phone', [w2]);
    const ipad = b.snapshot('ipad', [w1]);
    const server = b.snapshot('server', [w2]);
    const result = checkConvergence(b.events);
    expect(result.ok).toBe(false);
    expect(result.violations).toEqual([{
      task: 't1',
      writes: [w1, w2],
      seqs: [seqOf(b, w1), seqOf(b, w2), ipad, server],
      message: 'device ipad shows task t1 "Buy milk" (phone#1) but the server shows it "Buy oat milk" (phone#2)',
    }]);
  });

  it('fails when a device lacks a live task, or shows one the server has deleted', () => {
    const b = new TraceBuilder();
    const w1 = b.create('phone', 't1', 'Buy milk');
    const w2 = b.create('phone', 't2', 'Call mum');
    const w3 = b.delete('phone', 't2');
    b.snapshot('phone', [w1, w3]);
    const ipad = b.snapshot('ipad', [w2]);
    const server = b.snapshot('server', [w1, w3]);
    const result = checkConvergence(b.events);
    expect(result.violations).toEqual([
      { task: 't1', writes: [w1], seqs: [seqOf(b, w1), ipad, server], message: 'device ipad shows task t1 missing but the server shows it "Buy milk" (phone#1)' },
      { task: 't2', writes: [w2], seqs: [seqOf(b, w2), ipad, server], message: 'device ipad shows task t2 "Call mum" (phone#2) but the server shows it deleted' },
    ]);
    expect(result.stats?.violations).toBe(2);
  });

  it('compares completed flags too', () => {
    const { b, w2 } = twoWrites();
    b.snapshot('phone', [w2]);
    b.snapshot('ipad', [b.row(w2, { completed: true })]);
    b.snapshot('server', [w2]);
    expect(checkConvergence(b.events).violations[0]?.message).toBe('device ipad shows task t1 "Buy oat milk" done (phone#2) but the server shows it "Buy oat milk" (phone#2)');
  });

  it('compares devices with the first one when there is no server snapshot', () => {
    const { b, w1, w2 } = twoWrites();
    b.snapshot('phone', [w2]);
    b.snapshot('ipad', [w1]);
    expect(checkConvergence(b.events).violations.map((v) => v.message)).toEqual([
      'device ipad shows task t1 "Buy milk" (phone#1) but device phone shows it "Buy oat milk" (phone#2)',
    ]);
  });

  it('fails a trace with writes and no snapshots', () => {
    const { b } = twoWrites();
    expect(checkConvergence(b.events).violations).toEqual([{ seqs: [1], message: 'the trace has no end-of-run snapshots' }]);
  });
});
