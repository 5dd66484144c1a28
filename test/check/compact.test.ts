/**
 * The events `syncsim check` keeps (compactForCheckers) are judged exactly as the whole
 * ones: the same verdict, checks, stats and violations, on recorded runs that pass and
 * fail, and on a large generated trace.
 */
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/api/run-scenario.ts';
import { compactForCheckers } from '../../src/check/compact.ts';
import { judgeRun } from '../../src/check/index.ts';
import type { AnyTraceEvent } from '../../src/trace/index.ts';
import { largeTrace } from './large-trace.ts';

const compacted = (events: readonly AnyTraceEvent[]) => events.map(compactForCheckers());

describe('compactForCheckers', () => {
  it.each([
    ['scenarios/poor-network-retries.yaml', 'reference'],
    ['scenarios/lost-reply-idempotency.yaml', 'naive'],
    ['scenarios/lost-reply-idempotency.yaml', 'mutant:key-per-attempt'],
  ])('%s with %s: the same verdict from the compact events', async (file, engine) => {
    const run = await runScenario(file, { seed: 3, engine });
    const verdict = judgeRun(run.events);
    if (engine !== 'reference') expect(verdict.violations.length).toBeGreaterThan(0);
    expect(judgeRun(compacted(run.events))).toEqual(verdict);
  });

  it('a large generated trace: the same verdict, and message events keep only their header (and sender)', () => {
    const events = largeTrace(50_000);
    const compact = compacted(events);
    expect(judgeRun(compact)).toEqual(judgeRun(events));
    const send = compact.find((e) => e.type === 'msg.send')!;
    expect(Object.keys(send)).toEqual(['seq', 't', 'type', 'from']);
  });
});
