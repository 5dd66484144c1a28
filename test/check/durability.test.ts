import { describe, expect, it } from 'vitest';
import { checkDurability } from '../../src/check/index.ts';
import { healthyRun, seqOf, TraceBuilder } from './trace-builder.ts';

describe('durability', () => {
  it('passes when every write is in the end state or superseded', () => {
    expect(checkDurability(healthyRun().events)).toMatchObject({ ok: true, stats: { writes: 4 } });
  });

  it('passes a write lost to a crash when a later write of the task won', () => {
    const b = new TraceBuilder();
    const a = b.create('phone', 't1', 'A');
    b.propagate(a);
    b.after(1000).update('phone', 't1', { title: 'B' });
    b.after(10).fault('crash', { device: 'phone' });
    b.after(1000).fault('restart', { device: 'phone' });
    const i = b.after(1000).update('ipad', 't1', { title: 'I' });
    b.propagate(i);
    b.settle([i]);
    expect(checkDurability(b.events).ok).toBe(true);
  });

  it('fails a write that vanished after a crash, citing the crash', () => {
    const b = new TraceBuilder();
    const a = b.create('phone', 't1', 'A');
    b.propagate(a);
    const lost = b.after(1000).update('phone', 't1', { title: 'B' });
    const crash = b.after(10).fault('crash', { device: 'phone' });
    b.after(1000).fault('restart', { device: 'phone' });
    b.settle([a]);
    const result = checkDurability(b.events);
    expect(result.ok).toBe(false);
    const stamp = (w: string) => b.writes.get(w)!.stamp;
    expect(result.violations).toEqual([{
      task: 't1',
      writes: [lost, a],
      seqs: [seqOf(b, a), seqOf(b, lost), crash, b.lastSeq - 2, b.lastSeq - 1, b.lastSeq],
      message: `write phone#2 "B" (stamp ${stamp(lost)}) of task t1 vanished: the server holds "A" (phone#1 "A" (stamp ${stamp(a)})); `
        + `device phone holds "A" (phone#1 "A" (stamp ${stamp(a)})); device ipad holds "A" (phone#1 "A" (stamp ${stamp(a)})); phone crashed at seq ${crash} after the write`,
    }]);
  });

  it('fails a task missing from the server entirely', () => {
    const b = new TraceBuilder();
    const a = b.create('phone', 't1', 'A');
    b.snapshot('phone', [a]);
    const server = b.snapshot('server', []);
    expect(checkDurability(b.events).violations).toEqual([{
      task: 't1', writes: [a], seqs: [seqOf(b, a), server],
      message: `write phone#1 "A" (stamp ${b.writes.get(a)!.stamp}) of task t1 vanished: task t1 is missing on the server`,
    }]);
  });

  it('fails a device that holds an older write', () => {
    const b = new TraceBuilder();
    const a = b.create('phone', 't1', 'A');
    const u = b.after(10).update('phone', 't1', { title: 'B' });
    b.snapshot('phone', [u]);
    const ipad = b.snapshot('ipad', [a]);
    b.snapshot('server', [u]);
    const [violation] = checkDurability(b.events).violations;
    expect(violation).toMatchObject({ task: 't1', writes: [u, a], seqs: [seqOf(b, a), seqOf(b, u), ipad] });
    expect(violation?.message).toContain('device ipad holds "A"');
  });

  it('accepts a write superseded causally even with a lower stamp (that is causal\'s and lww\'s business)', () => {
    const b = new TraceBuilder();
    const a = b.create('phone', 't1', 'A', { stamp: '09' });
    const i = b.update('ipad', 't1', { title: 'I' }, { stamp: '01', basis: a });
    b.settle([i]);
    expect(checkDurability(b.events).ok).toBe(true);
  });

  it('does not judge the server for a create it refused (quota)', () => {
    const b = new TraceBuilder();
    const a = b.create('phone', 't1', 'A');
    b.serverApply(a, 'rejected', { op: 'create' });
    b.snapshot('phone', [a]);
    b.snapshot('server', []);
    expect(checkDurability(b.events)).toMatchObject({ ok: true, stats: { refused: 1 } });
  });

  it('accepts a task created and deleted before it ever synced: absent everywhere', () => {
    const b = new TraceBuilder();
    const a = b.create('ipad', 't2', 'w2');
    b.delete('ipad', 't2', { basis: a });
    b.snapshot('ipad', []);
    b.snapshot('server', []);
    expect(checkDurability(b.events)).toMatchObject({ ok: true, stats: { refused: 2 } });
  });

  it('does not judge the server for the later writes of a task it never had, but still judges devices', () => {
    const b = new TraceBuilder();
    const a = b.create('phone', 't1', 'A');
    b.serverApply(a, 'rejected', { op: 'create' });
    b.delete('phone', 't1', { basis: a });
    b.snapshot('phone', []);
    b.snapshot('server', []);
    expect(checkDurability(b.events)).toMatchObject({ ok: true, stats: { refused: 2 } });
    // The device that still shows the task live has lost the delete.
    const c = new TraceBuilder();
    const a2 = c.create('phone', 't1', 'A');
    c.serverApply(a2, 'rejected', { op: 'create' });
    c.delete('phone', 't1', { basis: a2 });
    c.snapshot('phone', [a2]);
    c.snapshot('server', []);
    expect(checkDurability(c.events).ok).toBe(false);
  });
});
