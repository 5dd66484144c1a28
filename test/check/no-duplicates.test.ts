import { describe, expect, it } from 'vitest';
import { checkNoDuplicates } from '../../src/check/index.ts';
import { healthyRun, seqOf, TraceBuilder } from './trace-builder.ts';

describe('no-duplicates', () => {
  it('passes a run where each task has one row everywhere', () => {
    const result = checkNoDuplicates(healthyRun().events);
    expect(result).toMatchObject({ checker: 'no-duplicates', ok: true, violations: [] });
  });

  it('fails when the server has two live rows for one task', () => {
    const b = new TraceBuilder();
    const w = b.create('phone', 't1', 'Buy milk');
    b.propagate(w);
    b.after(1000).fault('heal', { final: true });
    const snap = b.snapshot('server', [b.row(w, { id: 's1' }), b.row(w, { id: 's2' })]);
    const result = checkNoDuplicates(b.events);
    expect(result.ok).toBe(false);
    expect(result.violations).toEqual([
      { task: 't1', writes: [w], seqs: [seqOf(b, w), snap], message: 'task t1 has 2 live rows on the server (ids s1, s2)' },
    ]);
  });

  it('does not count a tombstone beside a live row on the server', () => {
    const b = new TraceBuilder();
    const w = b.create('phone', 't1', 'Buy milk');
    b.snapshot('server', [b.row(w, { id: 's1' }), b.row(w, { id: 's2', deleted: true })]);
    expect(checkNoDuplicates(b.events).ok).toBe(true);
  });

  it('fails when a device holds two rows for one task, live or not', () => {
    const b = new TraceBuilder();
    const w = b.create('phone', 't1', 'Buy milk');
    b.propagate(w);
    const snap = b.snapshot('ipad', [b.row(w, { id: 'local-1' }), b.row(w, { id: 'local-2', deleted: true })]);
    b.snapshot('server', [w]);
    const [violation] = checkNoDuplicates(b.events).violations;
    expect(violation).toEqual({ task: 't1', writes: [w], seqs: [seqOf(b, w), snap], message: 'device ipad has 2 rows for task t1 (ids local-1, local-2)' });
  });

  it('names a row whose task the harness could not name by the task of its write', () => {
    const b = new TraceBuilder();
    const w = b.create('phone', 't1', 'Buy milk');
    b.snapshot('ipad', [b.row(w, { id: 'a' }), b.row(w, { id: 'srv-77', task: 'srv-77' })]);
    const result = checkNoDuplicates(b.events);
    expect(result.violations[0]).toMatchObject({ task: 't1', message: 'device ipad has 2 rows for task t1 (ids a, srv-77)' });
  });

  it('fails when one create is applied twice by the server', () => {
    const b = new TraceBuilder();
    const w = b.create('phone', 't1', 'Buy milk');
    const first = b.after(100).serverApply(w, 'applied', { op: 'create', id: 's1' });
    const second = b.after(2000).serverApply(w, 'applied', { op: 'create', id: 's2' });
    b.snapshot('server', [b.row(w, { id: 's1' })]);
    const result = checkNoDuplicates(b.events);
    expect(result.ok).toBe(false);
    expect(result.violations).toEqual([
      { task: 't1', writes: [w], seqs: [seqOf(b, w), first, second], message: 'create phone#1 of task t1 was applied 2 times by the server' },
    ]);
  });

  it('recognises a create by its op event when server.apply has no op field', () => {
    const b = new TraceBuilder();
    const w = b.create('phone', 't1', 'Buy milk');
    b.serverApply(w);
    b.serverApply(w);
    b.snapshot('server', [w]);
    expect(checkNoDuplicates(b.events).violations[0]?.message).toBe('create phone#1 of task t1 was applied 2 times by the server');
  });

  it('fails when one create write maps to two server ids', () => {
    const b = new TraceBuilder();
    const w = b.create('phone', 't1', 'Buy milk');
    const first = b.serverApply(w, 'applied', { op: 'create', id: 's1' });
    const second = b.serverApply(w, 'duplicate', { op: 'create', id: 's2' });
    b.snapshot('server', [w]);
    expect(checkNoDuplicates(b.events).violations).toEqual([
      { task: 't1', writes: [w], seqs: [seqOf(b, w), first, second], message: 'create phone#1 of task t1 maps to 2 server tasks (s1, s2)' },
    ]);
  });

  it('passes an idempotent retry answered as a duplicate', () => {
    const b = new TraceBuilder();
    const w = b.create('phone', 't1', 'Buy milk');
    b.serverApply(w, 'applied', { op: 'create', id: 's1' });
    b.serverApply(w, 'duplicate', { op: 'create', id: 's1' });
    b.snapshot('server', [w]);
    expect(checkNoDuplicates(b.events).ok).toBe(true);
  });

  it('fails a trace with writes but no snapshots, and passes an empty one', () => {
    const b = new TraceBuilder();
    b.create('phone', 't1', 'Buy milk');
    expect(checkNoDuplicates(b.events).violations).toEqual([{ seqs: [1], message: 'the trace has no end-of-run snapshots' }]);
    expect(checkNoDuplicates(new TraceBuilder().events).ok).toBe(true);
  });

  it('keeps at most maxViolations but counts them all', () => {
    const b = new TraceBuilder();
    const rows = [];
    for (let i = 0; i < 10; i++) {
      const w = b.create('phone', `t${i}`, `task ${i}`);
      rows.push(b.row(w, { id: 'x' }), b.row(w, { id: 'y' }));
    }
    b.snapshot('server', rows);
    const result = checkNoDuplicates(b.events, { maxViolations: 3 });
    expect(result.violations).toHaveLength(3);
    expect(result.stats?.violations).toBe(10);
  });
});
