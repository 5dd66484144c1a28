import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runCheckers } from '../../src/check/index.ts';
import type { SnapshotRow } from '../../src/trace/index.ts';
import { TraceBuilder } from './trace-builder.ts';

interface Action {
  device: number;
  task: number;
  remove: boolean;
  completed: boolean;
}

const action = fc.record({ device: fc.nat(3), task: fc.nat(4), remove: fc.boolean(), completed: fc.boolean() });
const workload = fc.record({ devices: fc.integer({ min: 1, max: 4 }), actions: fc.array(action, { minLength: 1, maxLength: 40 }) });

/**
 * A correct system: each write commits, reaches the server 50 ms later and every other
 * device 100 ms later, stamps grow with time, and every node ends with each task's last write.
 */
function correctRun(devices: number, actions: Action[]) {
  const names = ['phone', 'ipad', 'mac', 'watch'].slice(0, devices);
  const b = new TraceBuilder(names);
  const last = new Map<string, string>();
  const history = new Map<string, string[]>();
  actions.forEach((a, i) => {
    const device = names[a.device % devices]!;
    const task = `t${a.task}`;
    const previous = last.get(task);
    const deleted = previous !== undefined && b.writes.get(previous)!.value.deleted;
    if (deleted || (previous === undefined && a.remove)) return;
    b.at(i * 1000);
    const write = previous === undefined
      ? b.create(device, task, `${task}-${i}`, { completed: a.completed })
      : a.remove ? b.delete(device, task) : b.update(device, task, { title: `${task}-${i}`, completed: a.completed });
    b.deviceApply(device, write, 'local');
    b.after(50).serverApply(write);
    b.after(50);
    for (const other of names) if (other !== device) b.deviceApply(other, write);
    last.set(task, write);
    history.set(task, [...(history.get(task) ?? []), write]);
  });
  b.after(1000).fault('heal', { final: true });
  b.after(1000);
  const finals = [...last.values()];
  for (const device of names) b.snapshot(device, finals);
  b.snapshot('server', finals);
  return { b, last, history };
}

describe('checkers on traces of a correct system', () => {
  it('all pass', () => {
    fc.assert(fc.property(workload, ({ devices, actions }) => {
      const { b } = correctRun(devices, actions);
      const failed = runCheckers(b.events).filter((r) => !r.ok);
      expect(failed).toEqual([]);
    }), { numRuns: 200 });
  });

  it('lww (and convergence) fail when the server ends with an older write of one task', () => {
    fc.assert(fc.property(workload, fc.nat(), ({ devices, actions }, pick) => {
      const { b, last, history } = correctRun(devices, actions);
      const candidates = [...history].filter(([task, writes]) => writes.length >= 2 && !b.writes.get(last.get(task)!)!.value.deleted);
      fc.pre(candidates.length > 0);
      const [task, writes] = candidates[pick % candidates.length]!;
      const older = writes[pick % (writes.length - 1)]!;
      const server = b.events[b.lastSeq] as unknown as { tasks: SnapshotRow[] };
      server.tasks = server.tasks.map((row) => (row.task === task ? b.row(older) : row));
      const results = new Map(runCheckers(b.events).map((r) => [r.checker, r]));
      expect(results.get('lww')?.ok).toBe(false);
      expect(results.get('lww')?.violations.every((v) => v.task === task && v.writes?.includes(older))).toBe(true);
      expect(results.get('convergence')?.ok).toBe(false); // every device kept the newer write
    }), { numRuns: 200 });
  });
});
