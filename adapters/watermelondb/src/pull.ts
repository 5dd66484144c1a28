/**
 * `pullChanges` for WatermelonDB's synchronize: delta pages by the server's change cursor.
 * WatermelonDB wants a truthy numeric `timestamp` to hand back as `lastPulledAt`, and the
 * cursor starts at 0, so `lastPulledAt` is the cursor plus one.
 */
import { ApiFailure, type ServerTask, type TaskApi } from './api.ts';
import { TABLE } from './schema.ts';
import { localIdOf, remoteRaw } from './wire.ts';

/** Pages per pull: a bigger backlog is taken over several syncs (`more` says so). */
const MAX_PAGES = 50;

export function cursorOf(lastPulledAt: number | null | undefined): number {
  return typeof lastPulledAt === 'number' && lastPulledAt > 0 ? lastPulledAt - 1 : 0;
}

export interface PullOutcome {
  changes: { [TABLE]: { created: never[]; updated: ReturnType<typeof remoteRaw>[]; deleted: string[] } };
  timestamp: number;
  /** The server has more changes than this pull took. */
  more: boolean;
}

export async function pullChanges(api: TaskApi, lastPulledAt: number | null | undefined): Promise<PullOutcome> {
  let cursor = cursorOf(lastPulledAt);
  const live = new Map<string, ServerTask>();
  const gone = new Set<string>();
  let more = false;
  for (let pages = 0; pages < MAX_PAGES; pages++) {
    const page = await pageOrRestart(api, cursor);
    for (const task of page.tasks) {
      gone.delete(localIdOf(task));
      live.set(localIdOf(task), task);
    }
    for (const task of page.deletedTasks) {
      live.delete(localIdOf(task));
      gone.add(localIdOf(task));
    }
    cursor = page.nextCursor;
    more = page.hasMore;
    if (!more) break;
  }
  const updated = [...live.values()].map(remoteRaw);
  return { changes: { [TABLE]: { created: [], updated, deleted: [...gone] } }, timestamp: cursor + 1, more };
}

/** A cursor ahead of the server's (it lost data) is 409 CURSOR_AHEAD: start over from 0. */
async function pageOrRestart(api: TaskApi, cursor: number) {
  try {
    return await api.page(cursor);
  } catch (error) {
    if (error instanceof ApiFailure && error.status === 409 && cursor > 0) return api.page(0);
    throw error;
  }
}
