import type { Pos } from './errors.ts';
import { SCENARIO_LIMITS } from './limits.ts';
import { at, type Fields, type Reader } from './read.ts';

export const TASK_NAME = /^[A-Za-z0-9_-]+$/;
export const TASK_SHAPE = '[A-Za-z0-9_-]+';

/**
 * The task names steps create, in file order, with where each was first created: a task
 * is created once, and updated or deleted only after it is created.
 */
export class CreatedTasks {
  private readonly created = new Map<string, Pos>();

  constructor(private readonly read: Reader) {}

  names(): Set<string> {
    return new Set(this.created.keys());
  }

  /** The `task` field of a create, update or delete step. */
  taskName(f: Fields, what: string): string | undefined {
    const node = f.required('task');
    const task = node && this.read.name(node, `${what}.task`, TASK_NAME, TASK_SHAPE);
    if (node === undefined || task === undefined) return undefined;
    if (what === 'create') this.register(task, node.pos);
    else if (!this.created.has(task)) this.read.issues.add(node.pos, `task '${task}' is never created before this step`);
    return task;
  }

  /** How many more tasks the steps may create (SCENARIO_LIMITS.tasks in all). */
  get room(): number {
    return SCENARIO_LIMITS.tasks - this.created.size;
  }

  /** A task some step creates; a second creation of the same name is an error, and so is one past the limit. */
  register(task: string, pos: Pos): void {
    if (this.room <= 0 && !this.created.has(task)) {
      this.read.issues.add(pos, `the steps create more than ${SCENARIO_LIMITS.tasks} tasks`);
      return;
    }
    const first = this.created.get(task);
    if (first) this.read.issues.add(pos, `task '${task}' is already created at ${at(first)}; create each task once`);
    else this.created.set(task, pos);
  }
}
