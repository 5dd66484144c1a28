import { describe, expect, it } from 'vitest';
import { checkNoResurrection } from '../../src/check/index.ts';
import { healthyRun, seqOf, TraceBuilder } from './trace-builder.ts';

describe('no-resurrection', () => {
  it('passes a run where deleted tasks stay deleted', () => {
    expect(checkNoResurrection(healthyRun().events)).toMatchObject({ ok: true, violations: [] });
  });

  it('passes a create reaching a device the delete never reached', () => {
    const b = new TraceBuilder(['phone', 'ipad', 'watch']);
    const c = b.create('phone', 't1', 'A');
    b.after(100).serverApply(c);
    b.after(100).deviceApply('ipad', c);
    const d = b.after(100).delete('ipad', 't1');
    b.after(100).deviceApply('watch', c); // watch never saw the delete yet
    b.after(100).serverApply(d);
    b.after(100).deviceApply('watch', d);
    b.deviceApply('phone', d);
    b.settle([d]);
    expect(checkNoResurrection(b.events).ok).toBe(true);
  });

  it('fails when a device applies a live value after it showed the task deleted', () => {
    const b = new TraceBuilder();
    const c = b.create('phone', 't1', 'A');
    b.propagate(c);
    const d = b.after(1000).delete('phone', 't1');
    b.propagate(d);
    const u = b.after(10).update('phone', 't1', { title: 'B' }, { basis: c }); // an engine that let a late edit through
    const back = b.after(100).deviceApply('ipad', u, 'pull');
    const deletedAt = b.events.findIndex((e) => e.type === 'device.apply' && e.device === 'ipad' && e.write === d);
    const result = checkNoResurrection(b.events);
    expect(result.ok).toBe(false);
    expect(result.violations).toContainEqual({
      task: 't1',
      writes: [d, u],
      seqs: [deletedAt, back],
      message: 'device ipad showed task t1 deleted (phone#2) and then live again with phone#3 (source pull)',
    });
  });

  it('fails when the server applies a non-delete after an applied delete', () => {
    const b = new TraceBuilder();
    const c = b.create('phone', 't1', 'A');
    const d = b.delete('phone', 't1');
    const u = b.update('ipad', 't1', { title: 'B' }, { basis: c });
    b.serverApply(c);
    const deleted = b.serverApply(d);
    const live = b.serverApply(u);
    const result = checkNoResurrection(b.events);
    expect(result.violations).toEqual([{
      task: 't1',
      writes: [d, u],
      seqs: [seqOf(b, u), deleted, live],
      message: 'the server applied delete phone#2 of task t1 and then applied ipad#1 (update), making it live again',
    }]);
  });

  it('keeps server tasks apart by id when server.apply names them', () => {
    const b = new TraceBuilder();
    const c = b.create('phone', 't1', 'A');
    const d = b.delete('phone', 't1');
    b.serverApply(c, 'applied', { op: 'create', id: 's1' });
    b.serverApply(d, 'applied', { op: 'delete', id: 's1' });
    b.serverApply(c, 'applied', { op: 'create', id: 's2' }); // a duplicate task, not a resurrection
    expect(checkNoResurrection(b.events).ok).toBe(true);
  });

  it('fails when a node that showed the delete ends with the task live', () => {
    const b = new TraceBuilder();
    const c = b.create('phone', 't1', 'A');
    b.propagate(c);
    const d = b.after(1000).delete('ipad', 't1');
    const applied = b.after(100).serverApply(d);
    b.settle([c]);
    const server = b.lastSeq;
    const result = checkNoResurrection(b.events);
    expect(result.violations).toEqual([
      { task: 't1', writes: [d, c], seqs: [seqOf(b, c), applied, server], message: 'the server showed task t1 deleted (ipad#1) but ends with it live: "A"' },
      { task: 't1', writes: [d, c], seqs: [seqOf(b, c), seqOf(b, d), server - 1], message: 'device ipad showed task t1 deleted (ipad#1) but ends with it live: "A"' },
    ]);
  });
});
