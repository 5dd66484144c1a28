import { describe, expect, it } from 'vitest';
import { checkerNames, checkers, isCheckerName, runCheckers } from '../../src/check/index.ts';
import { healthyRun, TraceBuilder } from './trace-builder.ts';

describe('the checker registry', () => {
  it('lists the checkers in SPEC order, nothing-judged last', () => {
    expect(checkerNames).toEqual([
      'no-duplicates', 'convergence', 'lww', 'causal', 'no-resurrection', 'durability', 'sync-latency',
      'read-your-writes', 'monotonic-reads', 'nothing-judged',
    ]);
    expect(Object.keys(checkers)).toEqual(checkerNames);
    expect(isCheckerName('lww')).toBe(true);
    expect(isCheckerName('toString')).toBe(false);
  });

  it('runs every checker over one indexing, with the same results as running them one by one', () => {
    const { events } = healthyRun();
    const results = runCheckers(events);
    expect(results.map((r) => [r.checker, r.ok])).toEqual(checkerNames.map((name) => [name, true]));
    expect(results).toEqual(checkerNames.map((name) => checkers[name](events)));
  });

  it('runs only the checkers asked for, and passes options on', () => {
    const b = new TraceBuilder(['phone']);
    const w = b.create('phone', 't1', 'A');
    b.at(6000).serverApply(w);
    b.snapshot('phone', [w]);
    b.snapshot('server', [w]);
    expect(runCheckers(b.events, { only: ['sync-latency'] }).map((r) => r.ok)).toEqual([false]);
    expect(runCheckers(b.events, { only: ['sync-latency'], objectiveMs: 6000 }).map((r) => r.ok)).toEqual([true]);
  });

  it('passes an empty trace, and one with no writes and no snapshots', () => {
    expect(runCheckers([]).every((r) => r.ok)).toBe(true);
    expect(runCheckers(new TraceBuilder().events).every((r) => r.ok)).toBe(true);
  });

  it('ignores event types and fields it does not know', () => {
    const b = healthyRun();
    b.push('engine.note', { text: 'hello' });
    b.events.forEach((e) => Object.assign(e, { extra: 1 }));
    expect(runCheckers(b.events).every((r) => r.ok)).toBe(true);
  });
});
