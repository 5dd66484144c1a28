import type { ApiClient, ApiRequest, Exchange } from './http-client.ts';
import { expectStatus, expectThat, isObject, violation } from './rule.ts';

/** A task as a rule reads it from a reply (either dialect; the design's rules check the rest). */
export interface SeenTask {
  id: string;
  clientId: string;
  title: string;
  completed: boolean;
  version: number;
  deleted: boolean;
  raw: Record<string, unknown>;
}

/** One page of a delta pull. */
export interface SeenPage {
  tasks: SeenTask[];
  deletedTaskIds: string[];
  nextCursor: number;
  hasMore: boolean;
  exchange: Exchange;
}

/** The API as one user calls it: the requests of SPEC §4, each reply read or judged a violation. */
export class UserApi {
  constructor(
    readonly label: 'A' | 'B',
    readonly token: string,
    private readonly client: ApiClient,
  ) {}

  send(req: Omit<ApiRequest, 'token'> & { token?: string | null }): Promise<Exchange> {
    return this.client.send({ ...req, token: req.token === undefined ? this.token : req.token });
  }

  /** POST /v1/tasks in syncsim's form; 201 (or 200 for a repeat) and the task. */
  async create(fields: Record<string, unknown>, headers?: Record<string, string>): Promise<{ task: SeenTask; exchange: Exchange }> {
    const exchange = await this.send({ method: 'POST', path: '/v1/tasks', json: fields, ...(headers && { headers }) });
    expectStatus(exchange, [200, 201], `user ${this.label} creates a task`);
    return { task: taskOf(exchange, `user ${this.label}'s create`), exchange };
  }

  /** A new task with a unique clientId and syncsim's LWW stamp. */
  async createNew(clientId: string, title = clientId): Promise<SeenTask> {
    const { task, exchange } = await this.create({ clientId, title, completed: false, stamp: 's-001', device: 'conform' });
    expectStatus(exchange, 201, `user ${this.label} creates a new task`);
    return task;
  }

  update(id: string, fields: Record<string, unknown>, headers?: Record<string, string>): Promise<Exchange> {
    return this.send({ method: 'PUT', path: `/v1/tasks/${encodeURIComponent(id)}`, json: fields, ...(headers && { headers }) });
  }

  remove(id: string, fields?: Record<string, unknown>): Promise<Exchange> {
    return this.send({ method: 'DELETE', path: `/v1/tasks/${encodeURIComponent(id)}`, ...(fields && { json: fields }) });
  }

  /** GET /v1/tasks?since=&limit=: 200 and a page. */
  async pull(since: number, limit?: number): Promise<SeenPage> {
    const query = `since=${since}${limit === undefined ? '' : `&limit=${limit}`}`;
    const exchange = await this.send({ method: 'GET', path: `/v1/tasks?${query}` });
    expectStatus(exchange, 200, `user ${this.label} pulls changes`);
    return pageOf(exchange, `user ${this.label}'s delta pull`);
  }

  /**
   * Every change after `since`, paged by the server's default page size (a server may cap
   * `limit` lower than we would ask), bounded; merged as one page whose exchange is the last.
   */
  async changes(since: number, maxPages = 50): Promise<SeenPage> {
    const tasks = new Map<string, SeenTask>();
    const deleted = new Set<string>();
    let cursor = since;
    for (let n = 0; n < maxPages; n++) {
      const page = await this.pull(cursor);
      for (const task of page.tasks) {
        deleted.delete(task.id);
        tasks.set(task.id, task);
      }
      for (const id of page.deletedTaskIds) {
        tasks.delete(id);
        deleted.add(id);
      }
      cursor = page.nextCursor;
      if (!page.hasMore) return { tasks: [...tasks.values()], deletedTaskIds: [...deleted], nextCursor: cursor, hasMore: false, exchange: page.exchange };
    }
    return violation(`user ${this.label}'s delta pull since ${since} still had more after ${maxPages} pages`);
  }

  /** The user's current cursor, from GET /v1/sync/status. */
  async cursor(): Promise<number> {
    const exchange = await this.send({ method: 'GET', path: '/v1/sync/status' });
    expectStatus(exchange, 200, `user ${this.label} reads the sync status`);
    const cursor = isObject(exchange.json) ? exchange.json['cursor'] : undefined;
    expectThat(typeof cursor === 'number' && Number.isSafeInteger(cursor) && cursor >= 0, 'GET /v1/sync/status: cursor is not a non-negative integer', exchange);
    return cursor;
  }

  batch(body: Record<string, unknown>): Promise<Exchange> {
    return this.send({ method: 'POST', path: '/v1/sync/batch', json: body });
  }
}

/** The task of a `{ data: task }` reply (or a bare task). */
export function taskOf(exchange: Exchange, what: string): SeenTask {
  const body = exchange.json;
  const value = isObject(body) && isObject(body['data']) ? body['data'] : body;
  return readTask(value, what, exchange);
}

export function readTask(value: unknown, what: string, exchange: Exchange): SeenTask {
  expectThat(isObject(value), `${what}: no task in the reply`, exchange);
  const { id, clientId, title, version, deleted } = value;
  const completed = value['completed'] ?? value['isCompleted'];
  expectThat(typeof id === 'string' && id !== '', `${what}: the task has no string id`, exchange);
  expectThat(typeof clientId === 'string', `${what}: task ${id} has no string clientId`, exchange);
  expectThat(typeof title === 'string', `${what}: task ${id} has no string title`, exchange);
  expectThat(typeof completed === 'boolean', `${what}: task ${id} has no boolean completed`, exchange);
  expectThat(typeof version === 'number' && Number.isSafeInteger(version), `${what}: task ${id} has no integer version`, exchange);
  return { id, clientId, title, completed, version, deleted: deleted === true, raw: value };
}

/** A delta page: `{ data: { tasks, deletedTaskIds, nextCursor, hasMore } }` (or the page bare). */
export function pageOf(exchange: Exchange, what: string, body: unknown = exchange.json): SeenPage {
  const page = isObject(body) && isObject(body['data']) ? body['data'] : body;
  expectThat(isObject(page), `${what}: the reply is not a page of changes`, exchange);
  const { tasks, deletedTaskIds, nextCursor, hasMore } = page;
  expectThat(Array.isArray(tasks), `${what}: tasks is not an array`, exchange);
  expectThat(Array.isArray(deletedTaskIds) && deletedTaskIds.every((id) => typeof id === 'string'), `${what}: deletedTaskIds is not an array of ids`, exchange);
  expectThat(typeof nextCursor === 'number' && Number.isSafeInteger(nextCursor), `${what}: nextCursor is not an integer`, exchange);
  expectThat(typeof hasMore === 'boolean', `${what}: hasMore is not a boolean`, exchange);
  return { tasks: tasks.map((t) => readTask(t, what, exchange)), deletedTaskIds, nextCursor, hasMore, exchange };
}
