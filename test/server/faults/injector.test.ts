import { describe, expect, it } from 'vitest';
import { FaultInjector, type AnswerFault } from '../../../src/server/faults/injector.ts';
import { FAULT_PROFILES } from '../../../src/server/faults/profiles.ts';

const decisions = (profile: keyof typeof FAULT_PROFILES, seed: number, n: number, isWrite = (i: number) => i % 2 === 0) => {
  const injector = new FaultInjector(FAULT_PROFILES[profile], seed);
  return Array.from({ length: n }, (_, i) => injector.next(isWrite(i)));
};

describe('FaultInjector', () => {
  it('is a function of the seed and the request sequence', () => {
    expect(decisions('chaos', 5, 500)).toEqual(decisions('chaos', 5, 500));
    expect(decisions('chaos', 5, 500)).not.toEqual(decisions('chaos', 6, 500));
  });

  it("draws each profile's rates (10,000 requests, within a third of the rate)", () => {
    for (const name of ['flaky', 'chaos'] as const) {
      const profile = FAULT_PROFILES[name];
      const all = decisions(name, 1, 10_000, () => true);
      const count = (fault: AnswerFault) => all.filter((d) => d.fault === fault && !d.inOutage).length / all.length;
      for (const fault of ['rateLimited', 'resetBeforeApply', 'resetAfterApply', 'duplicate'] as const) {
        expect(Math.abs(count(fault) - profile[fault]), `${name} ${fault}`).toBeLessThan(profile[fault] / 3);
      }
      const slow = all.filter((d) => d.latencyMs > 0).length / all.length;
      expect(Math.abs(slow - profile.latency.rate)).toBeLessThan(0.05);
      for (const d of all) {
        if (d.latencyMs > 0) expect(d.latencyMs).toBeLessThanOrEqual(profile.latency.maxMs);
        expect(d.retryAfterS).toBeGreaterThanOrEqual(profile.retryAfterS.min);
        expect(d.retryAfterS).toBeLessThanOrEqual(profile.retryAfterS.max);
      }
    }
  });

  it('calm adds latency only', () => {
    const all = decisions('calm', 2, 1000);
    expect(all.every((d) => d.fault === 'none' && d.latencyMs >= 10 && d.latencyMs <= 50)).toBe(true);
  });

  it('outage answers runs of 503 within the profile bounds', () => {
    const { outage } = FAULT_PROFILES.outage;
    const runs: number[] = [];
    let run = 0;
    for (const d of decisions('outage', 9, 5000)) {
      if (d.inOutage) run++;
      else if (run > 0) (runs.push(run), (run = 0));
      if (d.inOutage) expect(d.fault).toBe('unavailable');
    }
    expect(runs.length).toBeGreaterThan(10);
    // Back-to-back outages merge into one run only when one starts the request after another ends.
    for (const r of runs) expect(r).toBeGreaterThanOrEqual(outage.minRequests);
  });

  it('never duplicates a read', () => {
    expect(decisions('chaos', 3, 2000, () => false).some((d) => d.fault === 'duplicate')).toBe(false);
  });
});
