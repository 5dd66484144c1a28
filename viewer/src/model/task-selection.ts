/**
 * The events and messages that concern one task, for the task filter: its ops and applies,
 * its users' writes (invoke, ok, fail) and the reads that changed what a user saw of it
 * (reads.ts), and the messages of the exchanges that concern it (the rule is in message-tasks.ts) with
 * their sends, deliveries, drops and copies. Computed when a task is picked, not at load.
 */
import type { EventHeader } from '../../../src/trace/events.ts';
import type { Exchange } from './message-tasks.ts';
import { readsChanging } from './reads.ts';
import { taskIndexOf } from './task-index.ts';
import { firstIndex, type MessageSpan, type TraceIndex } from './trace-index.ts';

export interface TaskSelection {
  task: string;
  /** Seqs of the events that concern the task, ascending. */
  seqs: number[];
  messages: Set<MessageSpan>;
  /** The users' reads among `seqs` (a read shows many tasks, so the diagram asks here). */
  reads: ReadonlySet<number>;
}

const READS = new Set(['GET', 'HEAD']);

type Loose = EventHeader & Record<string, unknown>;

/** Overlapping stretches joined, in order. */
function merged(list: Array<[number, number]>): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const [from, until] of list.sort((a, b) => a[0] - b[0])) {
    const last = out[out.length - 1];
    if (last && from <= last[1]) last[1] = Math.max(last[1], until);
    else out.push([from, until]);
  }
  return out;
}

/** Per device, the stretches of seqs during which one of the task's writes waited for the server (op or invoke to first server.apply). */
function waitingStretches(index: TraceIndex, own: readonly number[]): Map<string, Array<[number, number]>> {
  const waiting = new Map<string, { device: string; from: number }>();
  const stretches = new Map<string, Array<[number, number]>>();
  const add = (device: string, from: number, until: number) => {
    const list = stretches.get(device) ?? [];
    stretches.set(device, list);
    list.push([from, until]);
  };
  for (const seq of own) {
    const e = index.events[seq] as Loose;
    // A black-box engine records no op: the user's invoke starts the wait.
    if ((e.type === 'op' || e.type === 'invoke') && !waiting.has(String(e.write))) waiting.set(String(e.write), { device: String(e.device), from: seq });
    // A write that failed locally never goes to the server.
    else if (e.type === 'server.apply' || e.type === 'fail') {
      const op = waiting.get(String(e.write));
      if (op) add(op.device, op.from, seq);
      waiting.delete(String(e.write));
    }
  }
  for (const op of waiting.values()) add(op.device, op.from, index.events.length);
  for (const [device, list] of stretches) stretches.set(device, merged(list));
  return stretches;
}

/** Write requests the server applied nothing of, sent by a device while one of the task's writes waited. */
function queuedWriteRequests(index: TraceIndex, own: readonly number[], exchanges: readonly Exchange[], into: Set<Exchange>): void {
  const { messages } = index;
  for (const [device, list] of waitingStretches(index, own)) {
    for (const [from, until] of list) {
      for (let i = firstIndex(messages.length, (j) => messages[j]!.sendSeq <= from); i < messages.length && messages[i]!.sendSeq < until; i++) {
        const m = messages[i]!;
        if (m.from === device && !m.reply && !m.dup && !READS.has(m.method) && exchanges[i]!.tasks === undefined) into.add(exchanges[i]!);
      }
    }
  }
}

export function selectTask(index: TraceIndex, task: string): TaskSelection {
  const { taskOfSeq, exchanges } = taskIndexOf(index);
  const own: number[] = [];
  for (let seq = 0; seq < taskOfSeq.length; seq++) if (taskOfSeq[seq] === task) own.push(seq);
  const concerned = new Set<Exchange>();
  for (const exchange of exchanges) if (exchange.tasks?.has(task)) concerned.add(exchange);
  queuedWriteRequests(index, own, exchanges, concerned);
  const messages = new Set<MessageSpan>();
  const reads = readsChanging(index.events, index.readsByLane, task);
  const seqs = own.concat(reads);
  for (const [i, m] of index.messages.entries()) {
    if (!concerned.has(exchanges[i]!)) continue;
    messages.add(m);
    seqs.push(m.sendSeq);
    if (m.end !== 'open') seqs.push(m.endSeq);
  }
  return { task, seqs: Array.from(Int32Array.from(seqs).sort()), messages, reads: new Set(reads) };
}
