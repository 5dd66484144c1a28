import { describe, expect, it } from 'vitest';
import { checkerNames } from '../../src/check/index.ts';
import { buildCard, withVerdict } from '../../src/conform/card.ts';
import { judged, run } from './runs.ts';

const verdictOf = (card: ReturnType<typeof buildCard>, name: string) => card.guarantees.find((g) => g.name === name);

describe('the report card', () => {
  it('lists every checker, then quiescence, engine-error and scenario-expectations', () => {
    const card = buildCard('e', []);
    expect(card.guarantees.map((g) => g.name)).toEqual([...checkerNames, 'quiescence', 'engine-error', 'scenario-expectations']);
  });

  it('calls a guarantee nobody judged "not exercised", not held, and the card not ok', () => {
    const card = buildCard('e', [run('fuzz-calm', 'seed 1', judged()), run('fuzz-calm', 'seed 2', judged())]);
    expect(withVerdict(card, 'not exercised')).toEqual(['causal', 'no-resurrection', 'scenario-expectations']);
    expect(withVerdict(card, 'violated')).toEqual([]);
    expect(verdictOf(card, 'causal')!.exercisedBy).toEqual([]);
    expect(card.ok).toBe(false);
  });

  it('holds a guarantee some run exercised and none violated, with the evidence per source', () => {
    const card = buildCard('e', [
      run('library', 'a', judged({ causal: { tasks: 2, violations: 0 } }, { deletes: 1, expectedTasks: 3 })),
      run('library', 'b', judged()),
      run('fuzz-calm', 'seed 1', judged({ causal: { tasks: 5, violations: 0 } })),
    ]);
    expect(card.ok).toBe(true);
    expect(verdictOf(card, 'causal')).toMatchObject({
      verdict: 'held',
      exercisedBy: [{ source: 'library', runs: 1, of: 2, amount: 2 }, { source: 'fuzz-calm', runs: 1, of: 1, amount: 5 }],
    });
    // A delete in a run that read or snapshotted is what no-resurrection judges; expect.tasks only the library has.
    expect(verdictOf(card, 'no-resurrection')).toMatchObject({ verdict: 'held', exercisedBy: [{ source: 'library', runs: 1, amount: 1 }] });
    expect(verdictOf(card, 'scenario-expectations')).toMatchObject({ verdict: 'held', exercisedBy: [{ source: 'library', runs: 1, amount: 3 }] });
    expect(card.figures).toEqual({ runs: 3, failed: 0, sources: [{ source: 'library', runs: 2, failed: 0 }, { source: 'fuzz-calm', runs: 1, failed: 0 }] });
  });

  it('does not count deletes as no-resurrection evidence in a run without reads or snapshots (nothing showed them deleted)', () => {
    const blind = judged({ 'nothing-judged': { writes: 5, reads: 0, snapshots: 0, violations: 0 } }, { deletes: 2 });
    expect(verdictOf(buildCard('e', [run('fuzz-calm', 'seed 1', blind)]), 'no-resurrection')!.verdict).toBe('not exercised');
  });

  it('names each failing run of a violated guarantee with its file, command and first message', () => {
    const card = buildCard('e', [
      run('library', 'clock-skew', judged({}, {}, { 'read-your-writes': 'a read misses task t' }), ['read-your-writes']),
      run('fuzz-calm', 'seed 4', judged({}, {}, { 'read-your-writes': 'a read shows an older value', lww: 'lww lost' }), ['lww', 'read-your-writes']),
      run('fuzz-calm', 'seed 5', judged()),
    ]);
    const ryw = verdictOf(card, 'read-your-writes')!;
    expect(ryw.verdict).toBe('violated');
    expect(ryw.violations).toEqual([
      { source: 'library', run: 'clock-skew', seed: 1, scenarioFile: 'scenarios/clock-skew.yaml', reproduce: 'npx syncsim run scenarios/clock-skew.yaml --seed 1 --engine e', message: 'a read misses task t', reproducible: true },
      { source: 'fuzz-calm', run: 'seed 4', seed: 4, scenarioFile: 'out/fuzz-calm/failures/4/scenario.yaml', reproduce: 'npx syncsim run out/fuzz-calm/failures/4/scenario.yaml', message: 'a read shows an older value', reproducible: true },
    ]);
    expect(verdictOf(card, 'lww')!.violations.map((v) => v.message)).toEqual(['lww lost']);
    expect(withVerdict(card, 'violated')).toEqual(['lww', 'read-your-writes']);
    expect(card.figures.failed).toBe(2);
    expect(card.ok).toBe(false);
  });

  it('counts a violation as exercise even when the stats say nothing was judged (a run that threw)', () => {
    const thrown = { stats: { 'engine-error': { violations: 1 } }, messages: { 'engine-error': 'TypeError: boom' }, history: { writes: 0, deletes: 0, reads: 0, expectedTasks: 0 } };
    const card = buildCard('e', [run('fuzz-calm', 'seed 1', thrown, ['engine-error'])]);
    expect(verdictOf(card, 'engine-error')).toMatchObject({ verdict: 'violated', exercisedBy: [{ source: 'fuzz-calm', runs: 1, of: 1 }], violations: [{ message: 'TypeError: boom' }] });
    expect(verdictOf(card, 'durability')!.verdict).toBe('not exercised');
  });

  it('files failed expect.tasks under scenario-expectations, and a verdict no guarantee names under its own row', () => {
    const card = buildCard('e', [
      run('library', 'day', judged({}, { expectedTasks: 2 }, { 'task coffee': 'on server, coffee is live', 'task milk': 'on phone, milk is missing or deleted' }), ['task coffee', 'task milk']),
      run('fuzz-calm', 'seed 1', judged({}, {}, { 'brand-new': 'a newer checker failed' }), ['brand-new']),
    ]);
    expect(verdictOf(card, 'scenario-expectations')!.violations.map((v) => v.message)).toEqual(['on server, coffee is live; on phone, milk is missing or deleted']);
    expect(card.guarantees.at(-1)).toMatchObject({ name: 'brand-new', verdict: 'violated', violations: [{ message: 'a newer checker failed' }] });
  });

  it('keeps the library scenarios left out', () => {
    const card = buildCard('e', [], [{ file: 'scenarios/naive-x.yaml', why: 'expects violations: lww' }]);
    expect(card.excluded).toEqual([{ file: 'scenarios/naive-x.yaml', why: 'expects violations: lww' }]);
  });
});
