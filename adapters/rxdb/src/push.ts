/**
 * RxDB's push handler over `POST /v1/sync/batch`. Each row RxDB hands over is the device's
 * new state of a document and the server state RxDB assumes: a document the server has
 * never acknowledged is a create (the clientId makes a retry return the original task), a
 * tombstone a delete, anything else an update carrying the last server version this
 * device heard of (optimistic locking). Every operation has an idempotency key derived from
 * the write it carries, so a retry after a lost reply is recognised. What RxDB needs back
 * is the server's state of every row the server did not take as sent: a 409 with
 * `serverData`, a create that found the task already there, an update the server's LWW
 * turned down. RxDB then runs the LWW conflict handler and pushes the winner again.
 */
import type { RxReplicationWriteToMasterRow } from 'rxdb';
import { compareWrites } from './lww.ts';
import { allServerTasks, fromWire } from './pull.ts';
import { RequestFailure, wireTask, type ServerApi, type WireTask } from './server-api.ts';
import { sameState, type TaskDoc, type TaskState } from './task-doc.ts';

/** What this incarnation has heard of a task's row on the server (replies and pulls). */
export interface ServerRow {
  serverId: string;
  version: number;
}

/** Up to this many tasks are fetched one request each, all at once; more through a pull from the start. */
const FEW_TASKS = 8;
/** The server's largest page. */
const TASK_PAGE = 1000;

type Operation = Record<string, unknown> & { type: 'create' | 'update' | 'delete' };

interface BatchResult {
  success: boolean;
  status: number;
  data: WireTask | null;
  serverData: WireTask | null;
  code: string | null;
  applied: boolean | null;
  /** The server recognised the operation as a repeat and answered with the reply it recorded then. */
  replay: boolean;
}

/** Why an operation was given up (it can never succeed as sent): for the trace. */
export type Dropped = (doc: TaskState, status: number, code: string | null) => void;

/** A device's write whose push is over: the server holds it, beat it, or refused it for good. */
export type Settled = (doc: TaskState) => void;

export class Pusher {
  /** Learned from replies and pulls; lost with the process (RxDB's assumed master state is the durable copy). */
  readonly known = new Map<string, ServerRow>();

  constructor(
    private readonly api: ServerApi,
    private readonly cursor: () => number,
    private readonly dropped: Dropped,
    private readonly settled: Settled = () => undefined,
  ) {}

  /** Whether the server has since been heard to hold a later version of this task. */
  isStale(task: { id: string; serverId: string; version: number }): boolean {
    const known = this.known.get(task.id);
    return known !== undefined && known.serverId === task.serverId && known.version > task.version;
  }

  learn(task: { id: string; serverId: string; version: number }): void {
    if (task.serverId === '') return;
    const before = this.known.get(task.id);
    if (before === undefined || task.version >= before.version) this.known.set(task.id, { serverId: task.serverId, version: task.version });
  }

  async push(rows: RxReplicationWriteToMasterRow<TaskDoc>[]): Promise<TaskState[]> {
    const conflicts: TaskState[] = [];
    const first: Array<{ doc: TaskState; op: Operation }> = [];
    const deleteAfterCreate = new Set<string>();
    for (const { newDocumentState: doc, assumedMasterState: assumed } of rows) {
      // A resolved conflict equal to the server's state: nothing to tell the server.
      if (assumed !== undefined && sameState(assumed, doc)) {
        this.settled(doc);
        continue;
      }
      const row = this.serverRow(doc, assumed);
      if (row === null) {
        first.push({ doc, op: createOp(doc) });
        if (doc._deleted) deleteAfterCreate.add(doc.id);
      } else first.push({ doc, op: doc._deleted ? deleteOp(doc, row) : updateOp(doc, row) });
    }
    if (first.length === 0) return conflicts;
    const results = await this.batch(first.map((entry) => entry.op));
    const second: Array<{ doc: TaskState; op: Operation }> = [];
    first.forEach(({ doc, op }, index) => {
      const result = results[index];
      if (result === undefined) throw new RequestFailure('push: a result is missing');
      const master = this.judge(doc, op, result);
      if (master !== null) conflicts.push(master);
      else if (deleteAfterCreate.has(doc.id) && result.data !== null) {
        second.push({ doc, op: deleteOp(doc, { serverId: result.data.id, version: result.data.version }) });
        return;
      }
      this.settleUnlessItWins(doc, master);
    });
    if (second.length > 0) {
      const more = await this.batch(second.map((entry) => entry.op));
      second.forEach(({ doc, op }, index) => {
        const master = this.judge(doc, op, more[index] ?? missing());
        if (master !== null) conflicts.push(master);
        this.settleUnlessItWins(doc, master);
      });
    }
    return conflicts;
  }

  /** The push of `doc` is over unless it wins the conflict RxDB is about to resolve (then it is pushed again). */
  private settleUnlessItWins(doc: TaskState, master: TaskState | null): void {
    if (master === null || compareWrites(doc, master) <= 0) this.settled(doc);
  }

  /** The server row a write goes to, or null when this device has never heard the task is on the server. */
  private serverRow(doc: TaskState, assumed: TaskState | undefined): ServerRow | null {
    const known = this.known.get(doc.id);
    const serverId = doc.serverId || assumed?.serverId || known?.serverId || '';
    if (serverId === '') return null;
    const version = Math.max(doc.version, assumed?.version ?? 0, known?.serverId === serverId ? known.version : 0);
    return { serverId, version };
  }

  /** The server's state to hand RxDB as a conflict, or null when the server took the write as sent. */
  private judge(doc: TaskState, op: Operation, result: BatchResult): TaskState | null {
    if (result.data !== null) this.learn(fromWire(result.data));
    if (result.serverData !== null) this.learn(fromWire(result.serverData));
    if (result.success && result.data !== null) {
      const server = fromWire(result.data);
      if (op.type === 'create' && doc._deleted) return null; // the delete follows in the second batch
      return holdsWrite(server, doc) ? null : server;
    }
    if (result.serverData !== null) return fromWire(result.serverData);
    if (result.status >= 500) throw new RequestFailure(`push: ${result.status}`, result.status, result.code);
    // QUOTA_EXCEEDED, 400, 404, 422: the operation cannot succeed as sent, and retrying it would
    // loop forever. RxDB takes it as pushed: the task stays on the device and is sent again
    // (a create, idempotent by clientId) when the user next edits it.
    this.dropped(doc, result.status, result.code);
    return null;
  }

  private async batch(operations: Operation[]): Promise<BatchResult[]> {
    const reply = await this.api.call('POST', '/v1/sync/batch', { operations, cursor: this.cursor(), limit: 1 });
    if (reply.status !== 200 || !Array.isArray(reply.body.results)) throw new RequestFailure(`push: ${reply.status}`, reply.status);
    const results = reply.body.results.map(batchResult);
    // A replayed reply is the server's answer from the first time, not its state now (another
    // device may have changed or deleted the task since); a key that is not ours to reuse says
    // nothing of the task. RxDB must resolve against what the server holds now.
    const wanted = new Set<string>();
    results.forEach((result, index) => {
      if (result.replay && result.data !== null) wanted.add(result.data.id);
      const target = operations[index]?.id;
      if (result.code === 'IDEMPOTENCY_KEY_REUSED' && typeof target === 'string') wanted.add(target);
    });
    if (wanted.size === 0) return results;
    const now = await this.currentStates([...wanted]);
    results.forEach((result, index) => {
      if (result.replay && result.data !== null) result.data = now.get(result.data.id) ?? result.data;
      const target = operations[index]?.id;
      if (result.code === 'IDEMPOTENCY_KEY_REUSED' && typeof target === 'string') result.serverData = now.get(target) ?? null;
    });
    return results;
  }

  /**
   * The server's state now of each task: a few are asked for at once, one request each; many
   * (a replayed batch of a bulk create) are read from a pull from the start, a page of up to
   * 1,000 tasks per request, instead of hundreds of requests one after the other.
   */
  private async currentStates(serverIds: string[]): Promise<Map<string, WireTask>> {
    if (serverIds.length > FEW_TASKS) {
      const all = await allServerTasks(this.api, TASK_PAGE);
      const missing = serverIds.filter((id) => !all.has(id));
      for (const task of await Promise.all(missing.map((id) => this.current(id)))) all.set(task.id, task);
      return all;
    }
    const tasks = await Promise.all(serverIds.map((id) => this.current(id)));
    return new Map(tasks.map((task) => [task.id, task]));
  }

  private async current(serverId: string): Promise<WireTask> {
    const reply = await this.api.call('GET', `/v1/tasks/${encodeURIComponent(serverId)}`);
    const task = reply.status === 200 ? wireTask(reply.body.data) : null;
    if (task === null) throw new RequestFailure(`push: GET /v1/tasks/${serverId}: ${reply.status}`, reply.status);
    return task;
  }
}

/** Whether the server's state carries the device's write (same value, same stamp): nothing to resolve. */
function holdsWrite(server: TaskState, doc: TaskState): boolean {
  return server._deleted === doc._deleted && server.stamp === doc.stamp && server.device === doc.device
    && (doc._deleted || (server.title === doc.title && server.completed === doc.completed));
}

function createOp(doc: TaskState): Operation {
  return {
    type: 'create', clientId: doc.id, title: doc.title, completed: doc.completed, stamp: doc.stamp, device: doc.device,
    ...(doc.write !== '' && { write: doc.write }), idempotencyKey: `${doc.device}:${doc.id}:create:${doc.stamp}`,
  };
}

function updateOp(doc: TaskState, row: ServerRow): Operation {
  return {
    type: 'update', id: row.serverId, title: doc.title, completed: doc.completed, version: row.version, stamp: doc.stamp,
    device: doc.device, ...(doc.write !== '' && { write: doc.write }), idempotencyKey: `${doc.device}:${doc.id}:update:${doc.stamp}:${row.version}`,
  };
}

function deleteOp(doc: TaskState, row: ServerRow): Operation {
  return {
    type: 'delete', id: row.serverId, stamp: doc.stamp, device: doc.device,
    ...(doc.write !== '' && { write: doc.write }), idempotencyKey: `${doc.device}:${doc.id}:delete:${doc.stamp}`,
  };
}

function batchResult(value: unknown): BatchResult {
  const v = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const error = (typeof v.error === 'object' && v.error !== null ? v.error : {}) as Record<string, unknown>;
  const meta = (typeof v.meta === 'object' && v.meta !== null ? v.meta : {}) as Record<string, unknown>;
  return {
    success: v.success === true,
    status: typeof v.status === 'number' ? v.status : 0,
    data: wireTask(v.data),
    serverData: wireTask(error.serverData),
    code: typeof error.code === 'string' ? error.code : null,
    applied: typeof meta.applied === 'boolean' ? meta.applied : null,
    replay: meta.idempotent === true,
  };
}

function missing(): BatchResult {
  throw new RequestFailure('push: a result is missing');
}
