/**
 * What the task filter needs, built the first time it is used rather than while the trace
 * loads: the task each event concerns, the sorted task names (those the users' reads show
 * too), and the tasks each message concerns (the rule is in message-tasks.ts).
 */
import type { EventHeader } from '../../../src/trace/events.ts';
import { ExchangeTracker, type Exchange } from './message-tasks.ts';
import { recordedRows } from './reads.ts';
import { SERVER, SERVER_LANE, str, type TraceIndex } from './trace-index.ts';

export interface TaskIndex {
  /** The task of each op, device.apply, server.apply, invoke, ok and fail, by seq. */
  taskOfSeq: Array<string | undefined>;
  tasks: string[];
  /** By index in `messages`: the exchange a message belongs to, shared with its request, replies and copies. */
  exchanges: Exchange[];
}

type Loose = EventHeader & Record<string, unknown>;

const built = new WeakMap<TraceIndex, TaskIndex>();

export function taskIndexOf(index: TraceIndex): TaskIndex {
  let tasks = built.get(index);
  if (!tasks) built.set(index, (tasks = buildTaskIndex(index)));
  return tasks;
}

function buildTaskIndex({ events, laneOfSeq, messages, messageOfSeq, lanes, actions, actionOfWrite }: TraceIndex): TaskIndex {
  const taskOfSeq = new Array<string | undefined>(events.length);
  const tasks = new Set<string>();
  // A message joins the exchange of the one it answers or copies, always sent before it.
  const exchanges: Exchange[] = [];
  for (const m of messages) exchanges.push(m.related >= 0 ? exchanges[m.related]! : { tasks: undefined });
  const tracker = new ExchangeTracker(lanes.length);
  for (let seq = 0; seq < events.length; seq++) {
    const e = events[seq] as Loose;
    const lane = laneOfSeq[seq]!;
    // A user's read (the harness's) is not the device doing something else.
    if (lane > SERVER_LANE && e.type !== 'read') tracker.onLaneEvent(lane, e.type === 'device.apply');
    const position = messageOfSeq[seq]!;
    switch (e.type) {
      case 'op': case 'device.apply': case 'server.apply': case 'invoke': {
        const task = str(e.task);
        taskOfSeq[seq] = task;
        tasks.add(task);
        if (e.type === 'server.apply') tracker.serverApplied(task);
        else if (e.type === 'device.apply') tracker.deviceApplied(lane, task, e.source);
        break;
      }
      case 'ok': case 'fail': {
        const action = actionOfWrite.get(str(e.write));
        if (action !== undefined) taskOfSeq[seq] = actions[action]!.task;
        break;
      }
      // A read shows many tasks: the filter asks reads.ts which reads concern the picked one.
      case 'read': for (const row of recordedRows(e)) tasks.add(row.task); break;
      case 'msg.send': case 'msg.dup': {
        const m = messages[position]!;
        if (m.reply && m.from === SERVER) tracker.replied(exchanges[position]!);
        break;
      }
      case 'msg.deliver': {
        if (position < 0) break;
        const m = messages[position]!;
        tracker.delivered(exchanges[position]!, m.to === SERVER, m.reply, lane);
        break;
      }
      default: break;
    }
  }
  return { taskOfSeq, tasks: [...tasks].sort(), exchanges };
}
