/**
 * The task filter: which messages and events concern a task (the rule in
 * viewer/src/model/message-tasks.ts), and the search that narrows the task list.
 */
import { describe, expect, it } from 'vitest';
import { TaskSearch } from '../../viewer/src/model/task-search.ts';
import { selectTask } from '../../viewer/src/model/task-selection.ts';
import { buildIndex } from '../../viewer/src/model/trace-index.ts';
import { runStart, trace, value } from './events.ts';

const batch = { method: 'POST', path: '/v1/sync/batch' };
const pull = { method: 'GET', path: '/v1/tasks' };
const status = { method: 'HEAD', path: '/v1/sync/status' };

const story = trace(
  runStart('phone', 'ipad'), // 0
  // The phone pushes a; the server applies it; the reply is copied by the network.
  { type: 'op', device: 'phone', write: 'phone#1', kind: 'create', task: 'a', value: value('milk'), basis: null, stamp: '1' }, // 1
  { type: 'device.apply', device: 'phone', task: 'a', write: 'phone#1', source: 'local' }, // 2
  { type: 'msg.send', msg: 1, from: 'phone', to: 'server', ...batch }, // 3
  { type: 'msg.deliver', msg: 1, from: 'phone', to: 'server', ...batch }, // 4
  { type: 'server.apply', write: 'phone#1', task: 'a', result: 'applied', version: 1, cursor: 1 }, // 5
  { type: 'msg.send', msg: 2, from: 'server', to: 'phone', ...batch, reply: 1, status: 200 }, // 6
  { type: 'msg.dup', msg: 3, of: 2, from: 'server', to: 'phone', ...batch, reply: 1, status: 200 }, // 7
  { type: 'msg.deliver', msg: 2, from: 'server', to: 'phone', ...batch, reply: 1, status: 200 }, // 8
  { type: 'msg.deliver', msg: 3, from: 'server', to: 'phone', ...batch, reply: 1, status: 200 }, // 9
  // The ipad pulls a and b.
  { type: 'msg.send', msg: 4, from: 'ipad', to: 'server', ...pull }, // 10
  { type: 'msg.deliver', msg: 4, from: 'ipad', to: 'server', ...pull }, // 11
  { type: 'msg.send', msg: 5, from: 'server', to: 'ipad', ...pull, reply: 4, status: 200 }, // 12
  { type: 'msg.deliver', msg: 5, from: 'server', to: 'ipad', ...pull, reply: 4, status: 200 }, // 13
  { type: 'device.apply', device: 'ipad', task: 'a', write: 'phone#1', source: 'pull' }, // 14
  { type: 'device.apply', device: 'ipad', task: 'b', write: 'mac#1', source: 'pull' }, // 15
  // The ipad updates b; its first push is dropped, a status poll goes through, the second push lands.
  { type: 'op', device: 'ipad', write: 'ipad#1', kind: 'update', task: 'b', value: value('bread'), basis: 'mac#1', stamp: '2' }, // 16
  { type: 'device.apply', device: 'ipad', task: 'b', write: 'ipad#1', source: 'local' }, // 17
  { type: 'msg.send', msg: 6, from: 'ipad', to: 'server', ...batch }, // 18
  { type: 'msg.drop', msg: 6, from: 'ipad', to: 'server', ...batch, reason: 'offline' }, // 19
  { type: 'msg.send', msg: 7, from: 'ipad', to: 'server', ...status }, // 20
  { type: 'msg.deliver', msg: 7, from: 'ipad', to: 'server', ...status }, // 21
  { type: 'msg.send', msg: 8, from: 'server', to: 'ipad', ...status, reply: 7, status: 200 }, // 22
  { type: 'msg.deliver', msg: 8, from: 'server', to: 'ipad', ...status, reply: 7, status: 200 }, // 23
  { type: 'msg.send', msg: 9, from: 'ipad', to: 'server', ...batch }, // 24
  { type: 'msg.deliver', msg: 9, from: 'ipad', to: 'server', ...batch }, // 25
  { type: 'server.apply', write: 'ipad#1', task: 'b', result: 'applied', version: 2, cursor: 2 }, // 26
  { type: 'msg.send', msg: 10, from: 'server', to: 'ipad', ...batch, reply: 9, status: 200 }, // 27
  { type: 'msg.deliver', msg: 10, from: 'server', to: 'ipad', ...batch, reply: 9, status: 200 }, // 28
  // The phone pulls, but sends a push of its new write before applying what the pull brought.
  { type: 'msg.send', msg: 11, from: 'phone', to: 'server', ...pull }, // 29
  { type: 'msg.deliver', msg: 11, from: 'phone', to: 'server', ...pull }, // 30
  { type: 'msg.send', msg: 12, from: 'server', to: 'phone', ...pull, reply: 11, status: 200 }, // 31
  { type: 'op', device: 'phone', write: 'phone#2', kind: 'update', task: 'a', value: value('oat milk'), basis: 'phone#1', stamp: '3' }, // 32
  { type: 'msg.deliver', msg: 12, from: 'server', to: 'phone', ...pull, reply: 11, status: 200 }, // 33
  { type: 'msg.send', msg: 13, from: 'phone', to: 'server', ...batch }, // 34, never answered
  { type: 'device.apply', device: 'phone', task: 'b', write: 'ipad#1', source: 'pull' }, // 35
);

const index = buildIndex(story);
const messagesOf = (task: string) => [...selectTask(index, task).messages].map((m) => m.msg).sort((x, y) => x - y);

describe('messages of a task', () => {
  it('a request and its replies and copies concern the tasks the server applied while handling it', () => {
    expect(messagesOf('a')).toEqual(expect.arrayContaining([1, 2, 3]));
    expect(messagesOf('b')).toEqual(expect.arrayContaining([9, 10]));
  });

  it('a reply concerns the tasks its device applied on receiving it, and so does its request', () => {
    expect(messagesOf('a')).toEqual(expect.arrayContaining([4, 5]));
    expect(messagesOf('b')).toEqual(expect.arrayContaining([4, 5]));
  });

  it('a write request the server applied nothing of concerns the writes its device had queued; reads do not', () => {
    expect(messagesOf('b')).toContain(6); // dropped while ipad#1 waited
    expect(messagesOf('a')).toContain(13); // never answered while phone#2 waited
    expect(messagesOf('b')).not.toContain(7); // a status poll
  });

  it('rows applied after the device did something else are not the reply\'s', () => {
    expect(messagesOf('b')).not.toContain(12);
    expect(messagesOf('a')).toEqual([1, 2, 3, 4, 5, 13]);
    expect(messagesOf('b')).toEqual([4, 5, 6, 9, 10]);
  });

  it('the events of a task are its ops and applies and every send, delivery, drop and copy of its messages, in order', () => {
    expect(selectTask(index, 'b').seqs).toEqual([10, 11, 12, 13, 15, 16, 17, 18, 19, 24, 25, 26, 27, 28, 35]);
    expect(selectTask(index, 'a').seqs).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 32, 34]);
    expect(selectTask(index, 'nothing')).toMatchObject({ seqs: [], messages: new Set() });
  });
});

describe('task search', () => {
  const tasks = Array.from({ length: 5000 }, (_, i) => `Task-${i}`);
  const search = new TaskSearch(tasks);

  it('narrows to the names that contain the query, ignoring case and surrounding spaces, in list order', () => {
    expect(search.match('task-499')).toEqual(['Task-499', 'Task-4990', 'Task-4991', 'Task-4992', 'Task-4993', 'Task-4994', 'Task-4995', 'Task-4996', 'Task-4997', 'Task-4998', 'Task-4999']);
    expect(search.match('  SK-12 ')).toHaveLength(1 + 10 + 100);
  });

  it('gives every task for an empty query and none for a query nothing contains', () => {
    expect(search.match('')).toBe(tasks);
    expect(search.match('nope')).toEqual([]);
  });
});
