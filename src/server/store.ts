import { assert } from './assert.ts';
import { taskCost } from './limits.ts';
import type { WireTask } from './types.ts';

/** A stored task: its wire fields plus the change sequence number of its latest change. */
interface StoredTask extends WireTask {
  readonly seq: number;
}

export interface NewTask {
  clientId: string;
  title: string;
  completed: boolean;
  stamp: string;
  device: string;
  write: string | null;
}

export interface TaskPatch {
  title?: string;
  completed?: boolean;
  stamp: string;
  device: string;
  write: string | null;
}

/**
 * One user's tasks and change log. Stored tasks are replaced, never mutated, so a task
 * handed out earlier (in a reply, an idempotency record) keeps the value it had.
 *
 * The cursor is the user's change sequence: every change takes the next number and the
 * task remembers it. `log[seq - 1]` names the task changed at `seq`; an entry is stale
 * once that task has changed again, and a delta pull skips it.
 */
export class UserStore {
  private readonly byId = new Map<string, StoredTask>();
  private readonly byClientId = new Map<string, string>();
  private readonly log: string[] = [];
  /** `times[seq - 1]`: server time of change `seq`; never decreasing (see `record`). */
  private readonly times: number[] = [];
  private live = 0;
  private lastChange = 0;
  private cost = 0;

  /** The user's latest change sequence number; 0 before any change. */
  get cursor(): number {
    return this.log.length;
  }

  /** Server time (ms) of the user's latest change; 0 before any change. */
  get lastChangeAt(): number {
    return this.lastChange;
  }

  get liveCount(): number {
    return this.live;
  }

  /** Stored tasks, tombstones included. */
  get size(): number {
    return this.byId.size;
  }

  /** What the stored tasks cost against the byte budget (limits.ts `taskCost`). */
  get bytes(): number {
    return this.cost;
  }

  /**
   * The cursor just before the first change made at or after server time `ms`: a
   * timestamp `since` read from the change log. "At or after", so a change made in the
   * same millisecond as the client's last sync is sent again rather than skipped.
   */
  cursorAt(ms: number): number {
    let low = 0;
    let high = this.times.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((this.times[mid] ?? 0) < ms) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /** Server time of change `seq` (1-based), or null when there is none. */
  timeOf(seq: number): number | null {
    return this.times[seq - 1] ?? null;
  }

  get(id: string): WireTask | undefined {
    const task = this.byId.get(id);
    return task === undefined ? undefined : toWire(task);
  }

  /** The task a clientId created, live or deleted: a clientId names one task forever. */
  getByClientId(clientId: string): WireTask | undefined {
    const id = this.byClientId.get(clientId);
    return id === undefined ? undefined : this.get(id);
  }

  create(id: string, input: NewTask, now: number): WireTask {
    assert(!this.byId.has(id), `task id ${id} is already taken`);
    assert(!this.byClientId.has(input.clientId), `clientId ${input.clientId} already has a task`);
    const at = this.clock(now);
    const task = { id, ...input, createdAt: at, updatedAt: at, version: 1, deleted: false };
    this.byClientId.set(input.clientId, id);
    this.live += 1;
    return this.record(task, 0, now);
  }

  update(id: string, patch: TaskPatch, now: number): WireTask {
    const old = this.existing(id);
    assert(!old.deleted, `update of tombstone ${id}: a delete is final`);
    const next = {
      ...toWire(old),
      ...(patch.title !== undefined && { title: patch.title }),
      ...(patch.completed !== undefined && { completed: patch.completed }),
      stamp: patch.stamp,
      device: patch.device,
      write: patch.write,
      updatedAt: this.clock(now),
      version: old.version + 1,
    };
    return this.record(next, old.version, now);
  }

  /** Marks a live task deleted; `stamp` replaces the task's only if it is greater. */
  tombstone(id: string, stamp: { stamp: string; device: string } | null, write: string | null, now: number): WireTask {
    const old = this.existing(id);
    assert(!old.deleted, `second tombstone for ${id}`);
    const newer = stamp !== null && compareStamps(stamp, old) > 0 ? stamp : null;
    const next = {
      ...toWire(old),
      ...(newer && { stamp: newer.stamp, device: newer.device }),
      write,
      deleted: true,
      updatedAt: this.clock(now),
      version: old.version + 1,
    };
    this.live -= 1;
    return this.record(next, old.version, now);
  }

  /** The tasks changed after `since`, each once at its latest change, in change order. */
  *changesAfter(since: number): Generator<{ seq: number; task: WireTask }> {
    for (let seq = Math.max(since, 0) + 1; seq <= this.log.length; seq++) {
      const task = this.byId.get(this.log[seq - 1] ?? '');
      assert(task !== undefined, `change ${seq} names no task`);
      if (task.seq === seq) yield { seq, task: toWire(task) };
    }
  }

  /** Every task, tombstones included, in creation (id) order. */
  all(): WireTask[] {
    return [...this.byId.values()].map(toWire);
  }

  private existing(id: string): StoredTask {
    const task = this.byId.get(id);
    assert(task !== undefined, `no task ${id}`);
    return task;
  }

  /**
   * Server time for a change: never before the previous change, so the change log is
   * sorted by time even when a real clock steps back (a timestamp `since` relies on it).
   */
  private clock(now: number): number {
    return Math.max(now, this.lastChange);
  }

  private record(task: WireTask, oldVersion: number, now: number): WireTask {
    assert(task.version > oldVersion, `version of ${task.id} must increase (${oldVersion} -> ${task.version})`);
    // The cursor is the log's length, so it grows by exactly one per change.
    const seq = this.log.length + 1;
    const stored: StoredTask = { ...task, seq };
    const old = this.byId.get(task.id);
    this.cost += taskCost(stored) - (old === undefined ? 0 : taskCost(old));
    this.byId.set(task.id, stored);
    this.log.push(task.id);
    this.lastChange = this.clock(now);
    this.times.push(this.lastChange);
    return toWire(stored);
  }
}

/** Orders two LWW stamps: the stamp string first, the device id breaks ties. */
export function compareStamps(a: { stamp: string; device: string }, b: { stamp: string; device: string }): number {
  if (a.stamp !== b.stamp) return a.stamp > b.stamp ? 1 : -1;
  if (a.device !== b.device) return a.device > b.device ? 1 : -1;
  return 0;
}

/** A copy with exactly the wire fields, in wire order. */
export function toWire(task: WireTask): WireTask {
  return {
    id: task.id,
    clientId: task.clientId,
    title: task.title,
    completed: task.completed,
    createdAt: task.createdAt,
    updatedAt: task.updatedAt,
    version: task.version,
    stamp: task.stamp,
    device: task.device,
    deleted: task.deleted,
    write: task.write,
  };
}
