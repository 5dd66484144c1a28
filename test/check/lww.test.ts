import { describe, expect, it } from 'vitest';
import { checkLww } from '../../src/check/index.ts';
import { healthyRun, seqOf, TraceBuilder } from './trace-builder.ts';

describe('lww', () => {
  it('passes when every node holds the write with the greatest stamp', () => {
    expect(checkLww(healthyRun().events)).toMatchObject({ ok: true, stats: { tasks: 2, nodes: 3 } });
  });

  it('breaks stamp ties by device id', () => {
    const b = new TraceBuilder();
    const a = b.create('phone', 't1', 'A', { stamp: '05' });
    b.update('ipad', 't1', { title: 'I' }, { stamp: '05', basis: null });
    b.settle([a]); // "phone" > "ipad"
    expect(checkLww(b.events).ok).toBe(true);
  });

  it('fails when a write with a lower stamp wins', () => {
    const b = new TraceBuilder();
    const a = b.create('phone', 't1', 'A', { stamp: '09' });
    b.propagate(a);
    const i = b.update('ipad', 't1', { title: 'I' }, { stamp: '10', basis: null });
    b.propagate(i);
    b.after(100).fault('heal', { final: true });
    b.snapshot('phone', [i]);
    b.snapshot('ipad', [i]);
    const server = b.snapshot('server', [a]);
    const result = checkLww(b.events);
    expect(result.ok).toBe(false);
    expect(result.violations).toEqual([{
      task: 't1',
      writes: [i, a],
      seqs: [seqOf(b, a), seqOf(b, i), server],
      message: 'the server holds "A" (phone#1 "A" (stamp 09)) for task t1, but ipad#1 "I" (stamp 10) has the greater stamp',
    }]);
  });

  it('judges every device too', () => {
    const b = new TraceBuilder();
    const a = b.create('phone', 't1', 'A');
    const i = b.after(10).update('ipad', 't1', { title: 'I' });
    b.snapshot('phone', [a]);
    b.snapshot('ipad', [i]);
    b.snapshot('server', [i]);
    expect(checkLww(b.events).violations.map((v) => v.message)).toEqual([
      `device phone holds "A" (phone#1 "A" (stamp ${b.writes.get(a)!.stamp})) for task t1, but ipad#1 "I" (stamp ${b.writes.get(i)!.stamp}) has the greater stamp`,
    ]);
  });

  it('fails when a delete exists but the task is live, whatever the stamps', () => {
    const b = new TraceBuilder();
    const a = b.create('phone', 't1', 'A', { stamp: '01' });
    const del = b.delete('ipad', 't1', { stamp: '02', basis: a });
    const u = b.update('phone', 't1', { title: 'B' }, { stamp: '03' });
    const server = b.snapshot('server', [u]);
    const result = checkLww(b.events);
    expect(result.violations).toEqual([{
      task: 't1',
      writes: [del, u],
      seqs: [seqOf(b, del), seqOf(b, u), server],
      message: 'task t1 has a delete, ipad#1 delete (stamp 02), but the server shows it live: "B" (phone#2 "B" (stamp 03))',
    }]);
  });

  it('fails when the row has the winner\'s value but names another write with another value', () => {
    const b = new TraceBuilder();
    const a = b.create('phone', 't1', 'A');
    const u = b.after(10).update('phone', 't1', { title: 'B' });
    b.snapshot('server', [b.row(u, { write: a })]);
    expect(checkLww(b.events).violations[0]?.writes).toEqual([u, a]);
  });

  it('accepts a row without a write id when its value matches', () => {
    const b = new TraceBuilder();
    b.create('phone', 't1', 'A');
    const u = b.after(10).update('phone', 't1', { title: 'B', completed: true });
    b.snapshot('server', [b.row(u, { write: null })]);
    expect(checkLww(b.events).ok).toBe(true);
  });

  it('fails when the server lacks a live task, and passes a deleted one that is absent', () => {
    const b = new TraceBuilder();
    const a = b.create('phone', 't1', 'A');
    const c = b.create('phone', 't2', 'C');
    b.delete('phone', 't2');
    const server = b.snapshot('server', []);
    const result = checkLww(b.events);
    expect(result.violations).toEqual([{ task: 't1', writes: [a], seqs: [seqOf(b, a), server], message: `task t1 is missing on the server; it must hold phone#1 "A" (stamp ${b.writes.get(a)!.stamp})` }]);
    expect(c).toBe('phone#2');
  });
});
