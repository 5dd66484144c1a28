/**
 * RxDB's pull handler over the delta endpoint: `GET /v1/tasks?since=<cursor>&limit=<n>`,
 * the cursor being the checkpoint RxDB stores. Live tasks and tombstones both come back as
 * documents (a tombstone with `_deleted: true`); RxDB takes fewer than `batchSize`
 * documents to mean it has caught up, which a page of `limit` changes tells exactly.
 */
import type { ReplicationPullHandlerResult } from 'rxdb';
import { RequestFailure, wireTask, type ServerApi, type WireTask } from './server-api.ts';
import type { TaskState } from './task-doc.ts';

export interface PullCheckpoint {
  cursor: number;
}

/** The document a wire task becomes on a device. */
export function fromWire(task: WireTask): TaskState {
  return {
    id: task.clientId, serverId: task.id, title: task.title, completed: task.completed, version: task.version,
    stamp: task.stamp, device: task.device, write: task.write ?? '', _deleted: task.deleted,
  };
}

export async function pullChanges(
  api: ServerApi,
  checkpoint: PullCheckpoint | undefined,
  batchSize: number,
): Promise<ReplicationPullHandlerResult<TaskState, PullCheckpoint>> {
  let cursor = checkpoint?.cursor ?? 0;
  const documents: TaskState[] = [];
  // A page the server cut short of `limit` (its reply byte budget) says `hasMore`: read on, so
  // that RxDB, which takes a short batch for the end, sees a full one.
  for (;;) {
    const page = await pullPage(api, cursor, batchSize - documents.length);
    if (page === 'restart') return { documents: [], checkpoint: { cursor: 0 } };
    documents.push(...page.documents);
    cursor = page.nextCursor;
    if (!page.hasMore || documents.length >= batchSize || page.documents.length === 0) break;
  }
  return { documents, checkpoint: { cursor } };
}

/**
 * Every task the server holds now, tombstones included, by server id: the pages of a pull
 * from the start. Cheaper than one `GET /v1/tasks/{id}` per task when many are wanted.
 */
export async function allServerTasks(api: ServerApi, pageSize: number): Promise<Map<string, WireTask>> {
  const tasks = new Map<string, WireTask>();
  let cursor = 0;
  for (;;) {
    const page = await pullPage(api, cursor, pageSize);
    if (page === 'restart') throw new RequestFailure('pull: CURSOR_AHEAD from the start', 409, 'CURSOR_AHEAD');
    for (const task of page.wire) tasks.set(task.id, task);
    if (!page.hasMore && page.wire.length < pageSize) return tasks;
    if (page.wire.length === 0 || page.nextCursor <= cursor) return tasks;
    cursor = page.nextCursor;
  }
}

interface Page {
  documents: TaskState[];
  wire: WireTask[];
  nextCursor: number;
  hasMore: boolean;
}

async function pullPage(api: ServerApi, since: number, limit: number): Promise<Page | 'restart'> {
  const reply = await api.call('GET', `/v1/tasks?since=${since}&limit=${limit}`);
  // The server lost changes we had seen (it was restored): start over from the beginning.
  if (reply.status === 409 && errorCode(reply.body) === 'CURSOR_AHEAD') return 'restart';
  if (reply.status !== 200) throw new RequestFailure(`pull: ${reply.status}`, reply.status, errorCode(reply.body));
  const page = reply.body.data as Record<string, unknown> | undefined;
  const tasks = Array.isArray(page?.tasks) ? page.tasks : null;
  const tombstones = Array.isArray(page?.deletedTasks) ? page.deletedTasks : null;
  if (page === undefined || tasks === null || tombstones === null || typeof page.nextCursor !== 'number') {
    throw new RequestFailure('pull: malformed page', reply.status);
  }
  const wire = [...tasks, ...tombstones].map((value) => {
    const task = wireTask(value);
    if (task === null) throw new RequestFailure('pull: malformed task', reply.status);
    return task;
  });
  return { documents: wire.map(fromWire), wire, nextCursor: page.nextCursor, hasMore: page.hasMore === true };
}

export function errorCode(body: Record<string, unknown>): string | null {
  const error = body.error as Record<string, unknown> | undefined;
  return typeof error?.code === 'string' ? error.code : null;
}
