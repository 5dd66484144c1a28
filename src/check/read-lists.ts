import type { ReadRow } from '../trace/index.ts';
import { isDelete, type ReadChange, type TaskHistory, type Write } from './model.ts';

/** How one read changed a task on its device's list. */
export interface TaskChange {
  task: string;
  /** Live rows before and after the read. */
  before: number;
  after: number;
}

/** A task's live rows on one device: most tasks have one, kept as is; more share a map by id. */
type TaskRows = ReadRow | Map<string, ReadRow>;

/**
 * Each device's list as its reads showed it, replayed read by read: per task, the live
 * rows. `apply` returns the tasks a read changed, so a checker's work per read is the
 * read's change, not the list's size.
 */
export class DeviceLists {
  private readonly lists = new Map<string, Map<string, TaskRows>>();

  apply(change: ReadChange): TaskChange[] {
    const device = change.read.device;
    let list = this.lists.get(device);
    if (list === undefined) this.lists.set(device, (list = new Map()));
    const touched = new Map<string, TaskChange>();
    const touch = (task: string) => {
      if (!touched.has(task)) touched.set(task, { task, before: size(list!.get(task)), after: 0 });
    };
    for (const { task, row } of change.hidden) {
      touch(task);
      const rows = list.get(task);
      if (rows === undefined) continue;
      if (rows instanceof Map) rows.delete(row.id);
      else if (rows.id === row.id) list.delete(task);
    }
    for (const { task, row } of change.shown) {
      touch(task);
      const rows = list.get(task);
      if (rows === undefined || (!(rows instanceof Map) && rows.id === row.id)) list.set(task, row);
      else if (rows instanceof Map) rows.set(row.id, row);
      else list.set(task, new Map([[rows.id, rows], [row.id, row]]));
    }
    for (const entry of touched.values()) entry.after = size(list.get(entry.task));
    return [...touched.values()];
  }

  rows(device: string, task: string): ReadRow[] {
    const rows = this.lists.get(device)?.get(task);
    if (rows === undefined) return [];
    return rows instanceof Map ? [...rows.values()] : [rows];
  }
}

function size(rows: TaskRows | undefined): number {
  return rows === undefined ? 0 : rows instanceof Map ? rows.size : 1;
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

