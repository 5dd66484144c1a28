/**
 * The users' history in the viewer: compact reads expanded against the device's previous
 * read, the read at the playhead, actions from invoke to ok or fail, and the task filter over
 * invoke and read events — on a trace whose engine recorded nothing.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTrace } from '../../src/trace/index.ts';
import { describeSeq } from '../../viewer/src/model/describe.ts';
import { applyRead, expandRead, latestReadAt, ReadCursor, readsChanging, type ReadEvent, type ReadRow } from '../../viewer/src/model/reads.ts';
import { taskIndexOf } from '../../viewer/src/model/task-index.ts';
import { selectTask } from '../../viewer/src/model/task-selection.ts';
import { buildIndex } from '../../viewer/src/model/trace-index.ts';
import { runStart, trace, value } from './events.ts';
import { syntheticTrace } from './synthetic-trace.ts';

const row = (task: string, id: string, title: string, completed = false): ReadRow => ({ task, id, title, completed });
const read = (seq: number, fields: Record<string, unknown>): ReadEvent => ({ seq, t: seq, type: 'read', device: 'phone', cause: 'step', ...fields });

describe('read expansion', () => {
  const first = read(1, { rows: [row('a', 't1', 'milk'), row('b', 't2', 'bread')] });

  it('a full read is its rows, whatever came before', () => {
    expect(expandRead(undefined, first)).toEqual([row('a', 't1', 'milk'), row('b', 't2', 'bread')]);
    expect(expandRead([row('z', 't9', 'old')], first)).toEqual(expandRead(undefined, first));
  });

  it('a compact read changes rows in place, adds new ones at the end and drops the gone ones', () => {
    const compact = read(5, { since: 1, rows: [row('b', 't2', 'rye bread', true), row('c', 't3', 'eggs')], gone: ['t1'] });
    expect(expandRead(expandRead(undefined, first), compact)).toEqual([row('b', 't2', 'rye bread', true), row('c', 't3', 'eggs')]);
    // Nothing changed: the same rows again.
    expect(expandRead([row('a', 't1', 'milk')], read(6, { since: 5, rows: [], gone: [] }))).toEqual([row('a', 't1', 'milk')]);
  });

  it('a compact read with no read before it is its rows; a row without an id is known by its task', () => {
    expect(expandRead(undefined, read(2, { since: 0, rows: [row('a', 't1', 'milk')], gone: ['t7'] }))).toEqual([row('a', 't1', 'milk')]);
    const view = new Map<string, ReadRow>();
    applyRead(view, read(1, { rows: [{ task: 'a', title: 'x', completed: false }] }));
    applyRead(view, read(2, { since: 1, rows: [{ task: 'a', title: 'y', completed: true }] }));
    expect([...view.values()]).toEqual([row('a', '', 'y', true)]);
  });

  it('rows of any shape are read field by field', () => {
    expect(expandRead(undefined, read(1, { rows: [null, 3, { task: 'a', id: 7, title: 'x', completed: 'yes' }] }))).toEqual([row('a', '7', 'x')]);
    expect(expandRead(undefined, read(1, { rows: 'nope' }))).toEqual([]);
  });
});

describe('the read at the playhead', () => {
  // The phone's reads at seqs 1, 3, 4, 6, 8, 9: full, then compact, one full in the middle.
  const events = trace(
    runStart('phone'),
    { type: 'read', device: 'phone', cause: 'write', rows: [row('a', 't1', 'milk')] }, // 1
    { type: 'fault', kind: 'network', detail: {} }, // 2
    { type: 'read', device: 'phone', cause: 'step', since: 1, rows: [row('b', 't2', 'bread')], gone: [] }, // 3
    { type: 'read', device: 'phone', cause: 'step', since: 3, rows: [row('a', 't1', 'oat milk')], gone: [] }, // 4
    { type: 'fault', kind: 'network', detail: {} }, // 5
    { type: 'read', device: 'phone', cause: 'random', since: 4, rows: [], gone: ['t2'] }, // 6
    { type: 'fault', kind: 'network', detail: {} }, // 7
    { type: 'read', device: 'phone', cause: 'step', rows: [row('c', 't3', 'eggs'), row('a', 't1', 'oat milk', true)] }, // 8
    { type: 'read', device: 'phone', cause: 'end', since: 8, rows: [row('d', 't4', 'tea')], gone: ['t3'] }, // 9
  );
  const reads = [1, 3, 4, 6, 8, 9];
  /** Expanded one after the other, as the definition says. */
  const expected: ReadRow[][] = [];
  for (const seq of reads) expected.push(expandRead(expected[expected.length - 1], events[seq] as ReadEvent));

  it('is the latest read at or before the seq', () => {
    expect([0, 1, 2, 3, 5, 9, 100].map((seq) => latestReadAt(reads, seq))).toEqual([-1, 0, 0, 1, 2, 5, 5]);
  });

  it('the cursor gives every read\'s rows as expanding them in order does, whichever way it moves', () => {
    const cursor = new ReadCursor(events, reads, 2);
    for (const k of [5, 0, 3, 3, 1, 4, 2, 5, 0, -1, 6]) expect(cursor.rowsOf(k)).toEqual(expected[k] ?? []);
    expect(expected[3]).toEqual([row('a', 't1', 'oat milk')]);
    expect(expected[5]).toEqual([row('a', 't1', 'oat milk', true), row('d', 't4', 'tea')]);
  });

  it('the cursor agrees with expansion in order for any reads, full or compact, and any order of seeks', () => {
    const id = fc.constantFrom('t1', 't2', 't3', 't4');
    const seen = fc.record({ task: fc.constantFrom('a', 'b'), id, title: fc.constantFrom('x', 'y'), completed: fc.boolean() });
    const anyRead = fc.record({ full: fc.boolean(), rows: fc.array(seen, { maxLength: 3 }), gone: fc.array(id, { maxLength: 2 }) });
    fc.assert(fc.property(fc.array(anyRead, { minLength: 1, maxLength: 30 }), fc.array(fc.nat(29), { maxLength: 20 }), fc.integer({ min: 1, max: 5 }), (list, seeks, interval) => {
      const events = trace(runStart('phone'), ...list.map((r, k) => ({ type: 'read', device: 'phone', rows: r.rows, ...(r.full ? {} : { since: k, gone: r.gone }) })));
      const seqs = list.map((_, k) => k + 1);
      const inOrder: ReadRow[][] = [];
      for (const seq of seqs) inOrder.push(expandRead(inOrder[inOrder.length - 1], events[seq] as ReadEvent));
      const cursor = new ReadCursor(events, seqs, interval);
      for (const k of seeks) expect(cursor.rowsOf(k % list.length)).toEqual(inOrder[k % list.length]);
    }), { numRuns: 200 });
  });

  it('at a seq: the read and its rows, none before the first', () => {
    const cursor = new ReadCursor(events, reads);
    expect(cursor.at(0)).toBeUndefined();
    expect(cursor.at(5)).toEqual({ seq: 4, rows: [row('a', 't1', 'oat milk'), row('b', 't2', 'bread')] });
    expect(cursor.at(2)).toEqual({ seq: 1, rows: [row('a', 't1', 'milk')] });
  });

  it('the reads that concern a task: those after which the user saw it appear, change or go', () => {
    expect(readsChanging(events, [[], reads], 'a')).toEqual([1, 4, 8]);
    expect(readsChanging(events, [[], reads], 'b')).toEqual([3, 6]);
    expect(readsChanging(events, [[], reads], 'c')).toEqual([8, 9]);
    // A compact read that repeats a row unchanged changes nothing.
    const again = trace(runStart('phone'), { type: 'read', device: 'phone', rows: [row('a', 't1', 'milk')] }, { type: 'read', device: 'phone', since: 1, rows: [row('a', 't1', 'milk')], gone: [] });
    expect(readsChanging(again, [[], [1, 2]], 'a')).toEqual([1]);
  });
});

/** A black-box engine: no op, no device.apply — only the harness's history and messages. */
const blackBox = trace(
  runStart('phone', 'ipad'), // 0
  { type: 'invoke', device: 'phone', write: 'phone#1', kind: 'create', task: 'a', value: value('milk'), basis: null, t: 10 }, // 1
  { type: 'msg.send', msg: 1, from: 'phone', to: 'server', method: 'POST', path: '/v1/sync/batch', t: 11 }, // 2
  { type: 'ok', device: 'phone', write: 'phone#1', id: 't1', t: 12 }, // 3
  { type: 'read', device: 'phone', cause: 'write', rows: [row('a', 't1', 'milk')], t: 12 }, // 4
  { type: 'msg.deliver', msg: 1, from: 'phone', to: 'server', method: 'POST', path: '/v1/sync/batch', t: 20 }, // 5
  { type: 'invoke', device: 'ipad', write: 'ipad#1', kind: 'create', task: 'b', value: value('bread'), basis: null, t: 30 }, // 6
  { type: 'fail', write: 'ipad#1', error: 'QuotaExceededError', t: 31 }, // 7 (no device: on its invoke's lane)
  { type: 'engine-error', device: 'ipad', step: 7, call: 'create', error: 'TypeError: x is undefined', stack: 'at create', t: 31 }, // 8
  { type: 'read', device: 'ipad', cause: 'step', rows: [row('c', 't5', 'from elsewhere')], t: 40 }, // 9
  { type: 'invoke', device: 'phone', write: 'phone#2', kind: 'update', task: 'a', value: value('oat milk', { completed: true }), basis: 'phone#1', t: 50 }, // 10
  { type: 'read', device: 'phone', cause: 'end', since: 4, rows: [], gone: ['t1'], t: 60 }, // 11
);

describe('a trace of the users\' history only', () => {
  const index = buildIndex(blackBox);

  it('each user write is an action from invoke to ok or fail, on its device\'s lane; one never answered lasts to the end', () => {
    expect(index.actions.map((a) => [a.write, a.device, index.lanes[a.lane], a.kind, a.task, a.title, a.end, a.invokeSeq, a.endSeq, a.endT])).toEqual([
      ['phone#1', 'phone', 'phone', 'create', 'a', 'milk', 'ok', 1, 3, 12],
      ['ipad#1', 'ipad', 'ipad', 'create', 'b', 'bread', 'fail', 6, 7, 31],
      ['phone#2', 'phone', 'phone', 'update', 'a', 'oat milk', 'open', 10, 11, 60],
    ]);
    expect(index.actions[0]!.id).toBe('t1');
    expect(index.actions[1]!.error).toBe('QuotaExceededError');
    expect(index.maxActionMs).toBe(10);
    expect(index.invokeSeqs).toEqual([1, 6, 10]);
    expect(index.laneOfSeq[7]).toBe(index.lanes.indexOf('ipad'));
  });

  it('reads are kept by lane, engine errors for jumping', () => {
    expect(index.readsByLane).toEqual([[], [4, 11], [9]]);
    expect(index.engineErrorSeqs).toEqual([8]);
    expect(index.laneOfSeq[8]).toBe(index.lanes.indexOf('ipad'));
  });

  it('an ok or fail is described with the action it ends; an engine error with its text', () => {
    expect(describeSeq(index, 3)).toBe('ok: phone create a “milk” (phone#1) → ok id t1, 2ms');
    expect(describeSeq(index, 7)).toMatch(/^FAIL: ipad create b “bread” \(ipad#1\) → FAILED: QuotaExceededError/);
    expect(describeSeq(index, 8)).toBe('ipad ENGINE ERROR in create at line 7: TypeError: x is undefined');
    expect(describeSeq(index, 10)).toBe('phone user update a “oat milk” ✓ (phone#2)');
    expect(describeSeq(index, 11)).toBe('phone read (end): 0 changed, 1 gone since #4');
  });

  it('the task filter lists the tasks invoke and read events name', () => {
    expect(taskIndexOf(index).tasks).toEqual(['a', 'b', 'c']);
  });

  it('a task\'s events are its invokes, oks and fails, the reads that showed it appear or go, and the write request sent while it waited', () => {
    const a = selectTask(index, 'a');
    expect(a.seqs).toEqual([1, 2, 3, 4, 5, 10, 11]);
    expect([...a.reads]).toEqual([4, 11]);
    expect([...a.messages].map((m) => m.msg)).toEqual([1]);
    expect(selectTask(index, 'b').seqs).toEqual([6, 7]);
    expect(selectTask(index, 'c').seqs).toEqual([9]);
  });

  it('without run.start, the devices come from invoke and read events', () => {
    expect(buildIndex(blackBox.slice(1).map((e, seq) => ({ ...e, seq }))).devices).toEqual(['phone', 'ipad']);
  });
});

describe('a generated trace with the users\' history', () => {
  const events = parseTrace(syntheticTrace(3000, ['phone', 'ipad'], { history: true }));
  const index = buildIndex(events);

  it('every write is an action that returned, and each device\'s reads expand as in order, from any checkpoint', () => {
    expect(index.actions.length).toBeGreaterThan(100);
    expect(index.actions.every((a) => a.end === 'ok' && a.lane > 0)).toBe(true);
    for (const reads of index.readsByLane.slice(1)) {
      const cursor = new ReadCursor(events, reads, 16);
      let expanded: ReadRow[] | undefined;
      const all = reads.map((seq) => (expanded = expandRead(expanded, events[seq] as ReadEvent)));
      for (const k of [reads.length - 1, 0, Math.floor(reads.length / 2), 17, reads.length - 2]) expect(cursor.rowsOf(k)).toEqual(all[k]);
    }
  });

  it('after its write returned, a device\'s read shows the value written (or no row, after a delete)', () => {
    for (const a of index.actions) {
      const k = latestReadAt(index.readsByLane[a.lane]!, a.endSeq + 1);
      const seen = new ReadCursor(events, index.readsByLane[a.lane]!).rowsOf(k).find((r) => r.task === a.task);
      expect(seen && { title: seen.title, completed: seen.completed }).toEqual(a.deleted ? undefined : { title: a.title, completed: a.completed });
    }
  });
});
