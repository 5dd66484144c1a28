import { describe, expect, it } from 'vitest';
import { checkerNames } from '../../src/check/index.ts';
import { referenceEngine } from '../../src/engines/reference/index.ts';
import { findEngine } from '../../src/engines/registry.ts';
import { seedJudgement, thrownJudgement } from '../../src/fuzz/judgement.ts';
import { runSeed } from '../../src/fuzz/run-seed.ts';

describe('a run\'s judgement', () => {
  it('keeps every verdict\'s stats and the history\'s counts of a finished run, no messages when it passed', async () => {
    const run = await runSeed(1, 'calm', referenceEngine);
    expect(run.ok).toBe(true);
    const judged = seedJudgement(run);
    expect(Object.keys(judged.stats)).toEqual([...checkerNames, 'quiescence', 'engine-error']);
    expect(judged.messages).toEqual({});
    const events = run.outcome!.world.trace.events;
    expect(judged.history.writes).toBe(events.filter((e) => e.type === 'invoke').length);
    expect(judged.history.reads).toBe(events.filter((e) => e.type === 'read').length);
    expect(judged.stats['nothing-judged']!.writes).toBeGreaterThan(0);
  });

  it('gives a failing verdict\'s first message', async () => {
    const run = await runSeed(1, 'calm', findEngine('mutant:save-skips-refresh')!);
    expect(run.violations).toContain('read-your-writes');
    expect(seedJudgement(run).messages['read-your-writes']).toMatch(/returned on .*, a read there/);
  });

  it('judges a run that threw by its engine alone', () => {
    expect(thrownJudgement({ message: 'TypeError: boom', stack: 'TypeError: boom\n  at x' })).toEqual({
      stats: { 'engine-error': { violations: 1 } }, messages: { 'engine-error': 'TypeError: boom' }, history: { writes: 0, deletes: 0, reads: 0, expectedTasks: 0 },
    });
  });
});
