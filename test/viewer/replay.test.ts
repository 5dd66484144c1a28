import { describe, expect, it } from 'vitest';
import { ReplayCursor, replayInput, replayTo, type TaskRow } from '../../viewer/src/model/replay.ts';
import { trace, value } from './events.ts';

/** A phone creates "milk", syncs it; the ipad pulls it, deletes it; the delete is lost; snapshots end it. */
const story = trace(
  { type: 'run.start', version: 1, scenario: 's', seed: 1, engine: 'naive', devices: [{ id: 'phone', skew: 0 }, { id: 'ipad', skew: 0 }] }, // 0
  { type: 'op', device: 'phone', write: 'phone#1', kind: 'create', task: 'a', value: value('milk'), basis: null, stamp: '1' }, // 1
  { type: 'device.apply', device: 'phone', task: 'a', write: 'phone#1', source: 'local' }, // 2
  { type: 'msg.send', msg: 1, from: 'phone', to: 'server', method: 'POST', path: '/v1/tasks' }, // 3
  { type: 'server.apply', write: 'phone#1', task: 'a', result: 'applied', version: 1, cursor: 1 }, // 4
  { type: 'device.apply', device: 'ipad', task: 'a', write: 'phone#1', source: 'pull' }, // 5
  { type: 'op', device: 'ipad', write: 'ipad#1', kind: 'delete', task: 'a', value: value('milk', { deleted: true }), basis: 'phone#1', stamp: '2' }, // 6
  { type: 'op', device: 'phone', write: 'phone#2', kind: 'update', task: 'a', value: value('oat milk', { completed: true }), basis: 'phone#1', stamp: '3' }, // 7
  { type: 'server.apply', write: 'phone#2', task: 'a', result: 'applied', version: 2, cursor: 2 }, // 8
  { type: 'server.apply', write: 'ipad#1', task: 'a', result: 'conflict', version: 2, cursor: 2 }, // 9
  { type: 'device.apply', device: 'ipad', task: 'a', write: 'phone#2', source: 'pull' }, // 10
  { type: 'snapshot', node: 'server', tasks: [
    { task: 'a', id: 't1', title: 'oat milk', completed: true, deleted: false, write: 'phone#2' },
    { task: 'a', id: 't2', title: 'oat milk', completed: true, deleted: false, write: 'phone#2' },
  ], queue: [] }, // 11
);

const input = replayInput(story);
const rows = (seq: number, node: string) => replayTo(input, seq).rowsOf(node);
const only = (list: TaskRow[]) => {
  expect(list).toHaveLength(1);
  return list[0]!;
};

describe('replay model', () => {
  it('knows the nodes before anything happens: every device of run.start, and the server', () => {
    const state = replayTo(input, 0);
    expect([...state.nodes.keys()]).toEqual(['phone', 'ipad', 'server']);
    expect(state.rowsOf('phone')).toEqual([]);
  });

  it('a local write shows on its device at once, queued and pending', () => {
    const state = replayTo(input, 2);
    expect(only(state.rowsOf('phone'))).toMatchObject({ task: 'a', title: 'milk', completed: false, deleted: false, write: 'phone#1', status: 'pending' });
    expect([...state.nodes.get('phone')!.queue.keys()]).toEqual(['phone#1']);
    expect(state.rowsOf('server')).toEqual([]);
    expect(state.rowsOf('ipad')).toEqual([]);
  });

  it('server.apply puts the write on the server, leaves the queue and makes the device row synced', () => {
    const state = replayTo(input, 4);
    expect(only(state.rowsOf('server'))).toMatchObject({ title: 'milk', write: 'phone#1', version: 1 });
    expect(state.nodes.get('phone')!.queue.size).toBe(0);
    expect(only(state.rowsOf('phone')).status).toBe('synced');
  });

  it('device.apply takes the value from the op of the write it names', () => {
    expect(only(rows(5, 'ipad'))).toMatchObject({ title: 'milk', write: 'phone#1', status: 'synced' });
  });

  it('a delete shows as a deleted row, pending, while the server still holds the old write', () => {
    expect(only(rows(6, 'ipad'))).toMatchObject({ deleted: true, write: 'ipad#1', status: 'pending' });
    expect(only(rows(7, 'ipad'))).toMatchObject({ deleted: true, status: 'pending' });
    expect(only(rows(7, 'phone'))).toMatchObject({ title: 'oat milk', completed: true, status: 'pending' });
  });

  it('a conflict leaves the server row alone but takes the write out of the queue', () => {
    const state = replayTo(input, 9);
    expect(only(state.rowsOf('server'))).toMatchObject({ title: 'oat milk', write: 'phone#2', version: 2 });
    expect(state.nodes.get('ipad')!.queue.size).toBe(0);
    expect(only(state.rowsOf('ipad'))).toMatchObject({ deleted: true, status: 'differs' });
  });

  it('a pull brings the deleted row back live (the resurrection the checker reports)', () => {
    expect(only(rows(10, 'ipad'))).toMatchObject({ title: 'oat milk', deleted: false, write: 'phone#2', status: 'synced' });
  });

  it('a snapshot overrides the replayed rows, keeping duplicates of one task apart', () => {
    const server = rows(11, 'server');
    expect(server).toHaveLength(2);
    expect(server.every((r) => r.fromSnapshot && r.task === 'a')).toBe(true);
    expect(rows(10, 'server')).toHaveLength(1);
  });

  it('a write the trace gives no value for keeps the row as it was, under the new write id', () => {
    const events = trace(
      { type: 'run.start', version: 1, scenario: 's', seed: 1, engine: 'x', devices: [{ id: 'phone', skew: 0 }] },
      { type: 'op', device: 'phone', write: 'phone#1', kind: 'create', task: 'a', value: value('milk'), basis: null, stamp: '1' },
      { type: 'device.apply', device: 'phone', task: 'a', write: 'server#9', source: 'pull' },
      { type: 'device.apply', device: 'phone', task: 'b', write: null, source: 'pull' },
    );
    const state = replayTo(replayInput(events), 3);
    expect(state.rowsOf('phone').map((r) => [r.task, r.title, r.write, r.status])).toEqual([
      ['a', 'milk', 'server#9', 'unknown'],
      ['b', '?', null, 'unknown'],
    ]);
  });

  it('a trace without run.start takes its devices from the ops', () => {
    const events = trace({ type: 'op', device: 'mac', write: 'mac#1', kind: 'create', task: 'a', value: value('x'), basis: null, stamp: '1' });
    expect([...replayTo(replayInput(events), 0).nodes.keys()]).toEqual(['mac', 'server']);
  });

  it('the cursor gives the same state as replay from the start, whichever way it moves', () => {
    const cursor = new ReplayCursor(input, 4);
    const order = [11, 3, 7, 0, 10, 10, 2, 9, 5, -1, 11, 1];
    for (const seq of order) {
      const state = cursor.seek(seq);
      const fresh = replayTo(input, seq);
      for (const node of ['phone', 'ipad', 'server']) expect(state.rowsOf(node)).toEqual(fresh.rowsOf(node));
      expect([...state.nodes.get('ipad')!.queue.keys()]).toEqual([...fresh.nodes.get('ipad')!.queue.keys()]);
    }
  });

  it('checkpoints are not disturbed by replay past them', () => {
    const cursor = new ReplayCursor(input, 2);
    cursor.seek(11);
    cursor.seek(2); // from the checkpoint at seq 1
    cursor.seek(11);
    expect(cursor.seek(2).rowsOf('phone')).toEqual(replayTo(input, 2).rowsOf('phone'));
  });
});
