/** Server tasks as WatermelonDB raw records, and the other way round. */
import type { ServerTask } from './api.ts';
import type { TaskColumns, TaskRaw } from './schema.ts';

/** A remote raw for `pullChanges`: keyed by the clientId, the task's identity across devices. */
export function remoteRaw(task: ServerTask): TaskColumns & { id: string } {
  return {
    id: localIdOf(task),
    server_id: task.id,
    title: task.title,
    completed: task.completed,
    version: task.version,
    stamp: task.stamp,
    device: task.device ?? '',
    write: task.write ?? null,
  };
}

/** A task made without a clientId (by another client of the API) is known by its server id. */
export function localIdOf(task: ServerTask): string {
  return task.clientId === '' ? task.id : task.clientId;
}

/** The value a row holds, as the trace's `op` event names it. */
export function valueOf(raw: Pick<TaskRaw, 'title' | 'completed'>, deleted: boolean) {
  return { title: raw.title, completed: raw.completed, deleted };
}
