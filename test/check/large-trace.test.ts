import { describe, expect, it } from 'vitest';
import { runCheckers } from '../../src/check/index.ts';
import { largeTrace } from './large-trace.ts';

describe('checkers on a large trace', () => {
  it('check a million events', () => {
    const targetLength = 1_000_000;
    const events = largeTrace(targetLength);
    expect(events.length).toBeGreaterThanOrEqual(targetLength - 20);
    const results = runCheckers(events);
    expect(results.filter((r) => !r.ok).map((r) => [r.checker, r.violations.slice(0, 2)])).toEqual([]);
    expect(results.find((r) => r.checker === 'sync-latency')?.stats?.count).toBeGreaterThan(10_000);
  });
});
