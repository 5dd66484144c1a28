import { describe, expect, it } from 'vitest';
import { judgeRun, quiescenceCheck } from '../../src/check/index.ts';
import { checkReport } from '../../src/report/check-table.ts';
import type { TraceEventFields } from '../../src/trace/index.ts';
import { healthyRun, TraceBuilder } from './trace-builder.ts';

/** Gives the builder's run.start what the verdict depends on (SPEC §5). */
function withStart(b: TraceBuilder, fields: Pick<TraceEventFields['run.start'], 'expect' | 'objectiveMs' | 'finalHeal'>): TraceBuilder {
  Object.assign(b.events[0]!, fields);
  return b;
}

/** A run whose one write takes 7.1 s to reach ipad: sync-latency fails at the default objective. */
function slowRun(): TraceBuilder {
  const b = new TraceBuilder();
  const w = b.create('phone', 't1', 'A');
  b.at(4000).serverApply(w);
  b.at(7100).deviceApply('ipad', w);
  return b.settle([w]);
}

/** The final heal never settles: the check event run-scenario records for it. */
function unsettledRun(): TraceBuilder {
  const b = healthyRun();
  b.after(300_000).push('check', quiescenceCheck(b.events, false, 300_000, b.t));
  return b;
}

describe('judgeRun', () => {
  it('passes a healthy run: every checker, no recorded failure, no expectation', () => {
    const verdict = judgeRun(healthyRun().events);
    expect(verdict).toMatchObject({ ok: true, violations: [], expectationFailures: [], objectiveMs: 5000, finalHeal: null, expectedViolations: [] });
    expect(verdict.checks.every((c) => c.ok)).toBe(true);
    expect(verdict.recorded).toEqual([{ checker: 'engine-error', ok: true, violations: [], stats: { violations: 0 } }]);
  });

  it('fails a checker violation nothing expected, naming it', () => {
    const verdict = judgeRun(slowRun().events);
    expect(verdict.ok).toBe(false);
    expect(verdict.violations).toEqual(['sync-latency']);
    expect(verdict.expectationFailures).toEqual([{ what: 'violations', message: 'expected no violation, got sync-latency' }]);
  });

  it('passes a run that fails exactly the checkers expect.violations names, and fails one that fails fewer', () => {
    const expected = judgeRun(withStart(slowRun(), { expect: { violations: ['sync-latency'] } }).events);
    expect(expected).toMatchObject({ ok: true, violations: ['sync-latency'], expectedViolations: ['sync-latency'], expectationFailures: [] });
    const missing = judgeRun(withStart(healthyRun(), { expect: { violations: ['lww', 'causal'] } }).events);
    expect(missing.ok).toBe(false);
    expect(missing.expectationFailures).toEqual([{ what: 'violations', message: 'expected causal, lww, got none' }]);
  });

  it('judges sync-latency with the objective run.start names, else expect.syncLatency.max; an explicit objective overrides both', () => {
    expect(judgeRun(withStart(slowRun(), { objectiveMs: 8000 }).events)).toMatchObject({ ok: true, objectiveMs: 8000 });
    expect(judgeRun(withStart(slowRun(), { expect: { syncLatency: { max: 8000 } } }).events)).toMatchObject({ ok: true, objectiveMs: 8000 });
    const overridden = judgeRun(withStart(slowRun(), { objectiveMs: 8000 }).events, { objectiveMs: 5000 });
    expect(overridden).toMatchObject({ ok: false, objectiveMs: 5000, violations: ['sync-latency'] });
  });

  it('checks expect.tasks against every snapshot', () => {
    const b = withStart(healthyRun(), { expect: { tasks: { t1: { title: 'Buy milk' }, t2: { deleted: true } } } });
    const verdict = judgeRun(b.events);
    expect(verdict.ok).toBe(false);
    expect(verdict.expectationFailures).toEqual(['phone', 'ipad', 'server'].map((node) => ({ what: 'task t1', message: `on ${node}, t1 has title "Buy oat milk"` })));
    const held = withStart(healthyRun(), { expect: { tasks: { t1: { title: 'Buy oat milk', completed: true }, t2: { deleted: true } } } });
    expect(judgeRun(held.events).ok).toBe(true);
  });

  it('fails a run whose recorded quiescence check failed, though every checker passes; expect.violations cannot excuse it', () => {
    const verdict = judgeRun(unsettledRun().events);
    expect(verdict.checks.every((c) => c.ok)).toBe(true);
    expect(verdict.ok).toBe(false);
    expect(verdict.violations).toEqual(['quiescence']);
    expect(verdict.expectationFailures).toEqual([{ what: 'quiescence', message: 'the world did not settle within 5 min after the final heal' }]);
    const quiescence = verdict.recorded.find((r) => r.checker === 'quiescence')!;
    const healSeq = unsettledRun().events.findLast((e) => e.type === 'fault')!.seq;
    expect(quiescence).toMatchObject({ ok: false, stats: { limitMs: 300_000, violations: 1 }, violations: [{ seqs: [healSeq] }] });
  });

  it('reads a passing quiescence check, with when the world settled', () => {
    const b = healthyRun();
    b.push('check', quiescenceCheck(b.events, true, 300_000, b.t));
    const verdict = judgeRun(b.events);
    expect(verdict.ok).toBe(true);
    expect(verdict.recorded[0]).toMatchObject({ checker: 'quiescence', ok: true, violations: [], stats: { settledAtMs: b.t, violations: 0 } });
  });

  it('reads a quiescence check from elsewhere whose detail is not in syncsim\'s shape', () => {
    const b = healthyRun();
    const seq = b.push('check', { checker: 'quiescence', ok: false, detail: 'still syncing' });
    expect(judgeRun(b.events).recorded[0]).toEqual({ checker: 'quiescence', ok: false, violations: [{ seqs: [seq], message: 'quiescence failed' }], stats: { violations: 1 } });
  });

  it('fails a run with an engine-error event, as the verdict engine-error', () => {
    const b = healthyRun();
    const seq = b.push('engine-error', { device: 'phone', step: 12, call: 'create', error: 'TypeError: x is undefined', stack: 'at create' });
    const verdict = judgeRun(withStart(b, { expect: { violations: [] } }).events);
    expect(verdict.ok).toBe(false);
    expect(verdict.violations).toEqual(['engine-error']);
    expect(verdict.recorded).toContainEqual({
      checker: 'engine-error', ok: false, stats: { violations: 1 },
      violations: [{ seqs: [seq], message: 'phone: create: TypeError: x is undefined (step at line 12)' }],
    });
    expect(verdict.expectationFailures).toEqual([{ what: 'engine-error', message: 'phone: create: TypeError: x is undefined (step at line 12)' }]);
  });

  it('recomputes the checkers, ignoring the check events a run recorded for them', () => {
    const b = healthyRun();
    b.push('check', { checker: 'lww', ok: false, detail: { violations: [{ seqs: [1], message: 'stale' }], stats: {} } });
    expect(judgeRun(b.events).ok).toBe(true);
  });
});

describe('the check report', () => {
  it('shows the true violation count, not the kept one', () => {
    const b = new TraceBuilder(['phone']);
    const writes: string[] = [];
    for (let i = 0; i < 60; i++) writes.push(b.after(10).create('phone', `t${i}`, `Task ${i}`));
    b.settle([]);
    const verdict = judgeRun(b.events);
    const durability = verdict.checks.find((c) => c.checker === 'durability')!;
    expect(durability.violations).toHaveLength(50);
    expect(durability.stats?.violations).toBe(60);
    const report = checkReport(verdict);
    expect(report).toMatch(/durability +FAIL \(60\)/);
    expect(report).not.toMatch(/FAIL \(50\)/);
    expect(report).toMatch(/verdict: FAIL/);
  });

  it('shows quiescence and the expectation failures', () => {
    const report = checkReport(judgeRun(unsettledRun().events), { width: Infinity });
    expect(report).toMatch(/quiescence +FAIL \(1\) +the world did not settle within 5 min after the final heal/);
    expect(report).toMatch(/verdict: FAIL\n {2}- quiescence: the world did not settle/);
    expect(checkReport(judgeRun(withStart(healthyRun(), { finalHeal: false }).events))).toMatch(/quiescence +- \(no final heal\)/);
  });

  it('marks the failures a demonstration expects', () => {
    const report = checkReport(judgeRun(withStart(slowRun(), { expect: { violations: ['sync-latency'] } }).events));
    expect(report).toMatch(/sync-latency +FAIL \(1, expected\)/);
    expect(report).toMatch(/verdict: PASS \(expected fail\)/);
  });
});
