import type { ReadRow } from '../trace/index.ts';
import { isDelete, type ReadChange, type TaskHistory, type Write } from './model.ts';

/** How one read changed a task on its device's list. */
export interface TaskChange {
  task: string;
  /** Live rows before and after the read. */
  before: number;
  after: number;
}

/**
 * Each device's list as its reads showed it, replayed read by read: per task, the live
 * rows. `apply` returns the tasks a read changed, so a checker's work per read is the
 * read's change, not the list's size.
 */
export class DeviceLists {
  private readonly lists = new Map<string, Map<string, Map<string, ReadRow>>>();

  apply(change: ReadChange): TaskChange[] {
    const device = change.read.device;
    let list = this.lists.get(device);
    if (list === undefined) this.lists.set(device, (list = new Map()));
    const touched = new Map<string, TaskChange>();
    const touch = (task: string) => {
      let entry = touched.get(task);
      if (entry === undefined) touched.set(task, (entry = { task, before: list!.get(task)?.size ?? 0, after: 0 }));
      return entry;
    };
    for (const { task, row } of change.hidden) {
      touch(task);
      list.get(task)?.delete(row.id);
    }
    for (const { task, row } of change.shown) {
      touch(task);
      let rows = list.get(task);
      if (rows === undefined) list.set(task, (rows = new Map()));
      rows.set(row.id, row);
    }
    for (const entry of touched.values()) entry.after = list.get(entry.task)?.size ?? 0;
    return [...touched.values()];
  }

  rows(device: string, task: string): ReadRow[] {
    const rows = this.lists.get(device)?.get(task);
    return rows === undefined ? [] : [...rows.values()];
  }
}

/** The writes of a task with a read row's value, made before `seq`: what the row may be showing. */
export function writesShown(history: TaskHistory | undefined, row: ReadRow, seq: number): Write[] {
  if (history === undefined) return [];
  return history.writes.filter((w) => w.seq < seq && !isDelete(w) && w.value.title === row.title && w.value.completed === row.completed);
}

/** A delete of the task made before `seq`, if any: what explains its absence from a list. */
export function deleteBefore(history: TaskHistory | undefined, seq: number): Write | undefined {
  return history?.writes.find((w) => isDelete(w) && w.seq < seq);
}

