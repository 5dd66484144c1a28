/**
 * RxDB's replication of the tasks collection to the §4 API: live, pull by cursor, push
 * through the batch endpoint, LWW resolution by the collection's conflict handler. There is
 * no server push channel in the API, so the pull stream is fed by the app itself: a RESYNC
 * after each push (to learn the server's ids and versions), on reconnect, on foreground,
 * on pull-to-refresh and on a poll timer.
 */
import { Subject } from 'rxjs';
import type { RxCollection } from 'rxdb';
import { replicateRxCollection, type RxReplicationState } from 'rxdb/plugins/replication';
import { pullChanges, type PullCheckpoint } from './pull.ts';
import type { Pusher } from './push.ts';
import type { ServerApi } from './server-api.ts';
import type { TaskDoc, TaskState } from './task-doc.ts';

/** RxDB waits this long after a failed pull or push before it tries again (it has no backoff). */
export const RETRY_MS = 1_000;
/** The server's largest page and largest batch: a first sync of thousands of tasks takes few round trips. */
export const PULL_BATCH = 1000;
export const PUSH_BATCH = 500;

export interface ReplicationHooks {
  /** Whether a pulled state is older than one this device already heard of (a push reply, an earlier pull). */
  stale(doc: TaskState): boolean;
  /** Every pulled document RxDB will be handed. */
  pulled(doc: TaskState): void;
  /** The cursor RxDB will store as its checkpoint. */
  cursor(cursor: number): void;
  /**
   * A replication error. `retried`: a failed pull or push handler, which RxDB calls again
   * after `retryTime`; otherwise (a failed write of pulled documents or of RxDB's meta
   * data) RxDB only reports it and nothing pulls again until the stream asks.
   */
  error(message: string, retried: boolean): void;
}

export interface TaskReplication {
  state: RxReplicationState<TaskDoc, PullCheckpoint>;
  /** Pull now (through RxDB's downstream). */
  resync(): void;
}

export function replicateTasks(collection: RxCollection<TaskDoc>, api: ServerApi, pusher: Pusher, hooks: ReplicationHooks): TaskReplication {
  const remote = new Subject<'RESYNC'>();
  const state = replicateRxCollection<TaskDoc, PullCheckpoint>({
    collection,
    replicationIdentifier: 'syncsim-v1-tasks',
    live: true,
    retryTime: RETRY_MS,
    waitForLeadership: false,
    autoStart: true,
    pull: {
      batchSize: PULL_BATCH,
      stream$: remote.asObservable(),
      handler: async (checkpoint, batchSize) => {
        const page = await pullChanges(api, checkpoint, batchSize);
        // RxDB's downstream writes any master state whose document has no unpushed change,
        // however old: a pull answered before a push of ours was applied would undo it.
        const documents = page.documents.filter((doc) => !hooks.stale(doc));
        for (const doc of documents) hooks.pulled(doc);
        if (page.checkpoint) hooks.cursor(page.checkpoint.cursor);
        return { documents, checkpoint: page.checkpoint };
      },
    },
    push: {
      batchSize: PUSH_BATCH,
      handler: async (rows) => {
        const conflicts = await pusher.push(rows);
        remote.next('RESYNC');
        return conflicts;
      },
    },
  });
  state.error$.subscribe((error) => hooks.error(describe(error), retriedByRxdb(error)));
  return { state, resync: () => remote.next('RESYNC') };
}

/** RxDB's replication plugin marks the errors of its handlers, which it retries, with their direction. */
function retriedByRxdb(error: { parameters?: { direction?: unknown } }): boolean {
  const direction = error.parameters?.direction;
  return direction === 'pull' || direction === 'push';
}

/** RxDB's error code and the handler's own message (RxDB's message is a long hint without it). */
function describe(error: { code?: string; message: string; parameters?: { errors?: Array<{ message?: string }>; direction?: unknown } }): string {
  const inner = error.parameters?.errors?.map((e) => e.message ?? '').filter((m) => m !== '').join('; ');
  return error.code === undefined ? error.message : `${error.code}${inner ? `: ${inner}` : ''}`;
}
