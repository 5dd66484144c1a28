/**
 * `pushChanges` for WatermelonDB's synchronize, onto POST /v1/sync/batch in two rounds:
 * first a create for every row the server may not know yet (created rows, and edited or
 * deleted rows whose server id this device never learned — the create of a clientId is
 * idempotent, so its reply names the server's task), then the updates and deletes with
 * each task's version. Every operation carries an idempotency key naming the row's write.
 *
 * WatermelonDB's push is all or nothing: throwing re-pushes everything at the next sync
 * (the keys make that safe); returning a row in `experimentalRejectedIds` keeps it
 * pending. A 409 is resolved here by the design's rule:
 * - update, VERSION_CONFLICT: the greater (stamp, device) wins; if ours, resend with the
 *   server's version; if the server's, drop ours (the server's change is after our pull,
 *   so the next pull brings it and replaces the row).
 * - update, TASK_DELETED: the delete wins; the next pull removes the row.
 * - delete, 409 (a server that version-checks deletes): resend with the server's version,
 *   since a delete wins. WatermelonDB itself would loop: it ignores pulled updates of a row
 *   deleted here, so the stale version is never refreshed and the delete fails forever.
 */
import type { BatchOperation, BatchResult, ServerTask, TaskApi } from './api.ts';
import type { TaskRaw } from './schema.ts';
import { compareWrites } from './stamp.ts';

/** Rounds of resending after 409s within one push. */
const MAX_CONFLICT_ROUNDS = 3;

export interface PushInput {
  created: TaskRaw[];
  updated: TaskRaw[];
  deleted: TaskRaw[];
}

export interface PushOutcome {
  /** Rows to keep pending (WatermelonDB's experimentalRejectedIds). */
  rejected: string[];
  /** Rows the server refused for good (quota, a bad request), with the error code. */
  refused: Map<string, string>;
  /** Operations sent, for the sync loop's counters. */
  sent: number;
}

interface Known {
  id: string;
  version: number;
  task?: ServerTask;
  created: boolean;
}

export async function pushChanges(api: TaskApi, input: PushInput, cursor: number): Promise<PushOutcome> {
  const outcome: PushOutcome = { rejected: [], refused: new Map(), sent: 0 };
  const known = new Map<string, Known>();
  await createUnknown(api, input, cursor, known, outcome);
  let pending = secondRound(input, known);
  for (let round = 0; pending.length > 0; round++) {
    const operations = pending.map((p) => p.operation);
    const results = await api.batch(operations, cursor);
    outcome.sent += operations.length;
    const again: Pending[] = [];
    results.forEach((result, i) => {
      const next = settle(pending[i]!, result, outcome);
      if (next !== null && round + 1 < MAX_CONFLICT_ROUNDS) again.push(next);
      else if (next !== null) outcome.rejected.push(pending[i]!.raw.id);
    });
    pending = again;
  }
  return outcome;
}

/** Round one: a create for every row without a server id (and every created row). */
async function createUnknown(api: TaskApi, input: PushInput, cursor: number, known: Map<string, Known>, outcome: PushOutcome) {
  const rows = [...input.created, ...input.updated.filter(unknown), ...input.deleted.filter(unknown)];
  if (rows.length === 0) return;
  const results = await api.batch(rows.map(createOperation), cursor);
  outcome.sent += rows.length;
  results.forEach((result, i) => {
    const raw = rows[i]!;
    if (result.success && result.id !== undefined) {
      const fresh = result.status === 201;
      known.set(raw.id, { id: result.id, version: result.version ?? 0, ...(result.data && { task: result.data }), created: fresh });
    } else refuseOrReject(raw, result, outcome);
  });
}

interface Pending {
  raw: TaskRaw;
  operation: BatchOperation;
}

function secondRound(input: PushInput, known: Map<string, Known>): Pending[] {
  const pending: Pending[] = [];
  for (const raw of [...input.created, ...input.updated]) {
    const server = serverOf(raw, known);
    if (server === null) continue;
    // A create the server just made holds this very write; a replayed one may hold an older value.
    if (server.created) continue;
    if (server.task !== undefined && compareWrites(server.task, raw) >= 0) continue;
    pending.push({ raw, operation: updateOperation(raw, server.id, server.version) });
  }
  for (const raw of input.deleted) {
    const server = serverOf(raw, known);
    if (server !== null) pending.push({ raw, operation: deleteOperation(raw, server.id, server.version) });
  }
  return pending;
}

/** What happened to one operation of round two: null when settled, else the operation to resend. */
function settle(pending: Pending, result: BatchResult, outcome: PushOutcome): Pending | null {
  const { raw, operation } = pending;
  if (result.success) return null;
  const server = result.error?.serverData;
  if (result.status === 404) return null;
  if (result.status === 409 && server !== undefined) {
    if (server.deleted) return null;
    if (operation.type === 'delete') return { raw, operation: deleteOperation(raw, server.id, server.version) };
    if (operation.type === 'update' && compareWrites(raw, server) > 0) {
      return { raw, operation: updateOperation(raw, server.id, server.version) };
    }
    return null;
  }
  refuseOrReject(raw, result, outcome);
  return null;
}

function refuseOrReject(raw: TaskRaw, result: BatchResult, outcome: PushOutcome) {
  const status = result.status;
  if (status >= 400 && status < 500 && status !== 408 && status !== 429) outcome.refused.set(raw.id, result.error?.code ?? String(status));
  else outcome.rejected.push(raw.id);
}

function unknown(raw: TaskRaw): boolean {
  return raw.server_id === null || raw.server_id === '';
}

function serverOf(raw: TaskRaw, known: Map<string, Known>): Known | null {
  const learned = known.get(raw.id);
  if (learned !== undefined) return learned;
  if (unknown(raw)) return null;
  return { id: raw.server_id!, version: raw.version, created: false };
}

function key(kind: string, raw: TaskRaw, version?: number): string {
  return [kind, raw.id, raw.stamp, raw.write ?? '', ...(version === undefined ? [] : [String(version)])].join(':');
}

function createOperation(raw: TaskRaw): BatchOperation {
  const { id, title, completed, stamp, device, write } = raw;
  return { type: 'create', clientId: id, title, completed, stamp, device, write, idempotencyKey: key('create', raw) };
}

function updateOperation(raw: TaskRaw, id: string, version: number): BatchOperation {
  const { title, completed, stamp, device, write } = raw;
  return { type: 'update', id, title, completed, version, stamp, device, write, idempotencyKey: key('update', raw, version) };
}

function deleteOperation(raw: TaskRaw, id: string, version: number): BatchOperation {
  const { stamp, device, write } = raw;
  return { type: 'delete', id, version, stamp, device, write, idempotencyKey: key('delete', raw, version) };
}
