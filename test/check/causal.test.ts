import { describe, expect, it } from 'vitest';
import { checkCausal, checkLww } from '../../src/check/index.ts';
import { healthyRun, seqOf, TraceBuilder } from './trace-builder.ts';

/**
 * Lost update under skew: phone's clock runs ahead, so its create gets stamp 0900; ipad,
 * whose clock lags, pulls it and edits it with stamp 0100. Wall-clock LWW keeps phone's.
 */
function lostUpdate() {
  const b = new TraceBuilder();
  const a = b.create('phone', 't1', 'Buy milk', { stamp: '0900' });
  b.deviceApply('phone', a, 'local');
  b.after(100).serverApply(a);
  b.after(100).deviceApply('ipad', a, 'pull');
  const i = b.after(1000).update('ipad', 't1', { title: 'Buy oat milk' }, { stamp: '0100' });
  b.deviceApply('ipad', i, 'local');
  b.after(100).serverApply(i, 'rejected');
  b.after(100).deviceApply('ipad', a, 'reply');
  return { b, a, i };
}

describe('causal', () => {
  it('passes when no final value has a causal successor', () => {
    expect(checkCausal(healthyRun().events)).toMatchObject({ ok: true, stats: { tasks: 2, nodes: 1 } });
  });

  it('passes concurrent writes: neither was made over the other', () => {
    const b = new TraceBuilder();
    const a = b.create('phone', 't1', 'A', { stamp: '09' });
    b.update('ipad', 't1', { title: 'I' }, { stamp: '01', basis: null });
    b.settle([a]);
    expect(checkCausal(b.events).ok).toBe(true);
  });

  it('fails the lost update under skew, which lww accepts', () => {
    const { b, a, i } = lostUpdate();
    b.settle([a]);
    const server = b.lastSeq;
    expect(checkLww(b.events).ok).toBe(true);
    const result = checkCausal(b.events);
    expect(result.ok).toBe(false);
    expect(result.violations).toEqual([{
      task: 't1',
      writes: [a, i],
      seqs: [seqOf(b, a), seqOf(b, i), server],
      message: 'task t1 ends as phone#1 "Buy milk" (stamp 0900) on the server, but ipad#1 "Buy oat milk" (stamp 0100) was made on ipad over it (chain phone#1 → ipad#1)',
    }]);
  });

  it('reports the whole chain down to the latest descendant', () => {
    const { b, a, i } = lostUpdate();
    const j = b.after(1000).update('ipad', 't1', { completed: true }, { stamp: '0200', basis: i });
    b.settle([a]);
    const [violation] = checkCausal(b.events).violations;
    expect(violation?.writes).toEqual([a, i, j]);
    expect(violation?.seqs).toEqual([seqOf(b, a), seqOf(b, i), seqOf(b, j), b.lastSeq]);
    expect(violation?.message).toContain('(chain phone#1 → ipad#1 → ipad#2)');
  });

  it('finds the final write by value when the row does not name it', () => {
    const { b, a, i } = lostUpdate();
    b.after(1000).fault('heal', { final: true });
    b.snapshot('server', [b.row(a, { write: null })]);
    expect(checkCausal(b.events).violations[0]?.writes).toEqual([a, i]);
  });

  it('does not fault a tombstone for what follows it', () => {
    const b = new TraceBuilder();
    b.create('phone', 't1', 'A');
    const d = b.delete('phone', 't1');
    b.update('ipad', 't1', { title: 'late' }, { basis: d });
    b.settle([d]);
    expect(checkCausal(b.events).ok).toBe(true);
  });
});
