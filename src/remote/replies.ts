import { gunzipSync } from 'node:zlib';
import type { ApplyResult, ServerApplyEvent, WriteKind } from '../server/types.ts';
import type { Exchange, ExchangeReply } from './http-exchange.ts';
import { array, record } from './json.ts';

/**
 * What a real server decided, read from its replies (SPEC §7: "server.apply events are
 * then inferred from replies"), in both dialects of SPEC §4: syncsim's own (`data`, `meta`,
 * batch `results` with `status`) and the design document's (`isCompleted`, batch `data`,
 * `success`, `serverId`). A reply that decided nothing (4xx other than a conflict or a
 * quota, 5xx, 429) yields no event. The cursor is unknown from a single write's reply: 0.
 */
export function decisionsOf(request: Exchange, reply: ExchangeReply, user: string): ServerApplyEvent[] {
  const method = request.method.toUpperCase();
  const path = request.path.split('?', 1)[0] ?? '';
  const body = jsonOf(request.body, request.headers['content-encoding']);
  const answer = jsonOf(reply.body, reply.headers['content-encoding']);
  if (method === 'POST' && path === '/v1/sync/batch') return batchDecisions(body, answer, user);
  const kind: WriteKind | null = method === 'POST' && path === '/v1/tasks' ? 'create'
    : method === 'PUT' && path.startsWith('/v1/tasks/') ? 'update'
    : method === 'DELETE' && path.startsWith('/v1/tasks/') ? 'delete'
    : null;
  if (kind === null) return [];
  const result = resultOf(reply.status, record(answer).meta);
  if (result === null) return [];
  const task = record(record(answer).data ?? record(record(answer).error).serverData);
  const id = kind === 'create' ? text(task.id ?? task.serverId) : decodeURIComponent(path.slice('/v1/tasks/'.length));
  return [decision(kind, user, id, record(body), task, result, 0)];
}

function batchDecisions(body: unknown, answer: unknown, user: string): ServerApplyEvent[] {
  const operations = array(record(body).operations);
  const results = array(record(answer).results);
  const final = typeof record(answer).cursor === 'number' ? (record(answer).cursor as number) : 0;
  const events: ServerApplyEvent[] = [];
  results.forEach((entry, i) => {
    const result = record(entry);
    const operation = record(operations[typeof result.index === 'number' ? result.index : i]);
    const kind = operation.type ?? operation.kind;
    if (kind !== 'create' && kind !== 'update' && kind !== 'delete') return;
    const status = typeof result.status === 'number' ? result.status : result.success === true ? 200 : errorStatus(record(result.error).code);
    const decided = resultOf(status, result.meta);
    if (decided === null) return;
    const task = record(result.data ?? record(result.error).serverData);
    const id = text(result.id ?? result.serverId ?? task.id ?? operation.id);
    events.push(decision(kind, user, id, { ...operation, ...record(operation.data) }, task, decided, 0));
  });
  // The batch ran in one go: each applied operation took the next change number, up to the final cursor.
  let cursor = final - events.filter((e) => e.result === 'applied').length;
  for (const event of events) {
    if (event.result === 'applied') cursor++;
    event.cursor = final === 0 ? 0 : cursor;
  }
  return events;
}

/** The decision a status and `meta` stand for; null when nothing was decided. */
function resultOf(status: number, meta: unknown): ApplyResult | null {
  const m = record(meta);
  if (status === 409) return 'conflict';
  if (status === 403) return 'rejected';
  if (status < 200 || status >= 300) return null;
  if (m.idempotent === true) return 'duplicate';
  if (m.applied === false) return 'rejected';
  return 'applied';
}

/** The design's batch results carry an error code, not a status. */
function errorStatus(code: unknown): number {
  if (code === 'VERSION_CONFLICT' || code === 'TASK_DELETED') return 409;
  if (code === 'QUOTA_EXCEEDED') return 403;
  return 400;
}

function decision(op: WriteKind, user: string, id: string, asked: Record<string, unknown>, task: Record<string, unknown>, result: ApplyResult, cursor: number): ServerApplyEvent {
  const title = typeof asked.title === 'string' ? asked.title : text(task.title);
  const completed = typeof asked.completed === 'boolean' ? asked.completed : typeof asked.isCompleted === 'boolean' ? asked.isCompleted : task.completed === true || task.isCompleted === true;
  return {
    op,
    user,
    write: typeof asked.write === 'string' ? asked.write : null,
    id,
    clientId: text(task.clientId ?? asked.clientId),
    result,
    version: typeof task.version === 'number' ? task.version : 0,
    cursor,
    value: { title, completed, deleted: op === 'delete' },
  };
}

function jsonOf(body: string | Uint8Array | null, encoding: string | undefined): unknown {
  if (body === null) return undefined;
  try {
    const bytes = typeof body === 'string' ? Buffer.from(body) : Buffer.from(body);
    const plain = encoding?.toLowerCase() === 'gzip' ? gunzipSync(bytes) : bytes;
    return plain.length === 0 ? undefined : (JSON.parse(plain.toString('utf8')) as unknown);
  } catch {
    return undefined;
  }
}


function text(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}
