/**
 * The design's last-write-wins rule, the server's too: a delete beats any live value (a
 * delete is final), then the greater stamp, then the greater device id. RxDB asks it through
 * its conflict handler when a push comes back with the server's state.
 */
import type { RxConflictHandler } from 'rxdb';
import { plainState, sameState, type TaskDoc, type TaskState } from './task-doc.ts';

/** > 0 when `a` wins, < 0 when `b` wins, 0 for the same write. */
export function compareWrites(a: TaskState, b: TaskState): number {
  if (a._deleted !== b._deleted) return a._deleted ? 1 : -1;
  if (a.stamp !== b.stamp) return a.stamp > b.stamp ? 1 : -1;
  if (a.device !== b.device) return a.device > b.device ? 1 : -1;
  return 0;
}

/**
 * The state a device keeps when its write (`local`) met the server's (`server`): the server's
 * when it wins (or is the same write), else the local write carried onto the server's row —
 * its id and version, so that the push RxDB makes next is an update the server accepts.
 */
export function resolveLww(local: TaskState, server: TaskState): TaskState {
  if (compareWrites(local, server) <= 0) return plainState(server);
  return { ...plainState(local), serverId: server.serverId || local.serverId, version: server.version };
}

export const lwwConflictHandler: RxConflictHandler<TaskDoc> = {
  isEqual: (a, b) => sameState(a, b),
  resolve: async ({ newDocumentState, realMasterState }) => resolveLww(newDocumentState, realMasterState),
};
