import { exchange } from './http-exchange.ts';
import { array, record } from './json.ts';

/** A task of the real server as the end-of-run snapshot needs it. */
export interface RemoteTask {
  id: string;
  clientId: string;
  title: string;
  completed: boolean;
  deleted: boolean;
  write: string | null;
}

/** Pages are read until the server says there are no more, and never more than this many. */
const MAX_PAGES = 10_000;

/**
 * Every task of one user, tombstones included, read through the API itself (a delta pull
 * from the start, page after page): the server's end state as any client could see it.
 * A tombstone the server reports only by id (`deletedTaskIds`, the design's delta) has no
 * title or state to show.
 */
export async function readAllTasks(base: URL, token: string, timeoutMs: number): Promise<RemoteTask[]> {
  const tasks = new Map<string, RemoteTask>();
  let cursor: unknown = 0;
  for (let page = 0; page < MAX_PAGES; page++) {
    const reply = await get(base, `/v1/tasks?since=${encodeURIComponent(String(cursor))}&limit=500`, token, timeoutMs);
    const data = record(reply.data ?? reply);
    for (const task of array(data.tasks)) put(tasks, record(task), false);
    const fullTombstones = array(data.deletedTasks);
    for (const task of fullTombstones) put(tasks, record(task), true);
    if (fullTombstones.length === 0) {
      for (const id of array(data.deletedTaskIds)) {
        if (typeof id === 'string') tasks.set(id, { ...(tasks.get(id) ?? { id, clientId: '', title: '', completed: false, write: null }), deleted: true });
      }
    }
    const next = data.nextCursor ?? data.cursor;
    if (data.hasMore !== true || next === undefined || next === cursor) break;
    cursor = next;
  }
  // In id order, numbers within ids compared as numbers (t2 before t10): a stable order that is the model's creation order for its ids.
  return [...tasks.values()].sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
}

/** The user's change cursor, from the status endpoint (a string: the cursor is the server's business). */
export async function readCursor(base: URL, token: string, timeoutMs: number): Promise<string> {
  const reply = await get(base, '/v1/sync/status', token, timeoutMs);
  const data = record(reply.data ?? reply);
  return String(data.cursor ?? data.lastSync ?? data.serverTimestamp ?? '');
}

async function get(base: URL, path: string, token: string, timeoutMs: number): Promise<Record<string, unknown>> {
  const reply = await exchange(base, { method: 'GET', path, headers: { authorization: `Bearer ${token}`, accept: 'application/json' }, body: null }, timeoutMs);
  if (reply.status !== 200) throw new Error(`GET ${path} answered ${reply.status}: ${Buffer.from(reply.body).toString('utf8').slice(0, 200)}`);
  return record(JSON.parse(Buffer.from(reply.body).toString('utf8')) as unknown);
}

function put(tasks: Map<string, RemoteTask>, task: Record<string, unknown>, deleted: boolean): void {
  const id = typeof task.id === 'string' ? task.id : typeof task.serverId === 'string' ? task.serverId : '';
  if (id === '') return;
  tasks.set(id, {
    id,
    clientId: typeof task.clientId === 'string' ? task.clientId : '',
    title: typeof task.title === 'string' ? task.title : '',
    completed: task.completed === true || task.isCompleted === true,
    deleted: deleted || task.deleted === true,
    write: typeof task.write === 'string' ? task.write : null,
  });
}
