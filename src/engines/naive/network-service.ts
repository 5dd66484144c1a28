import type { NaiveTask } from './task.ts';
import type { EnginePorts, FetchResponse } from '../ports.ts';

/** A task as the design's API sends it (`isCompleted`, ISO-8601 `updatedAt`), decoded. */
export interface ServerTask {
  id: string;
  clientId: string;
  title: string;
  isCompleted: boolean;
  /** Decoded from ISO-8601, as Swift's `.iso8601` strategy decodes a Date: ms since the epoch. */
  updatedAt: number;
  write?: string | null;
}

/** The JSON of a task in a reply: the design's fields, plus syncsim's `write` when present. */
interface ServerTaskJson {
  id: string;
  clientId: string;
  title: string;
  isCompleted: boolean;
  updatedAt: string;
  write?: string | null;
}

function decodeTask(json: ServerTaskJson): ServerTask {
  const updatedAt = Date.parse(json.updatedAt);
  if (!Number.isFinite(updatedAt)) throw new Error(`updatedAt is not ISO-8601: ${json.updatedAt}`);
  return { ...json, updatedAt };
}

/**
 * A device time as the design's client sends `Date()` (`.iso8601`). A simulated device
 * clock can read before the run's epoch (a negative skew); it reads as the epoch, as the
 * trace's stamps (`stampOf`) do, so both order writes alike.
 */
export const isoOf = (deviceMs: number) => new Date(Math.max(0, deviceMs)).toISOString();

export class HttpError extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
  }
}

/** Timestamps as the document uses them: the device's raw clock (here padded so strings sort). */
export const stampOf = (deviceMs: number) => String(Math.max(0, deviceMs)).padStart(15, '0');

/** The design document's NetworkService, on the simulator's fetch port. */
export class NetworkService {
  constructor(private readonly ports: EnginePorts) {}

  /** `GET /tasks`: everything, no cursor — and only the first page (the default limit). */
  async fetchTasks(): Promise<ServerTask[]> {
    const reply = (await this.send('GET', '/v1/tasks')) as { data: { tasks: ServerTaskJson[] } };
    return reply.data.tasks.map(decodeTask);
  }

  async createTask(task: NaiveTask): Promise<ServerTask> {
    // DEFECT (as in the document): a fresh idempotency key for every attempt, so a retry
    // after a lost reply is a new request as far as the key goes.
    const key = uuid(this.ports.random);
    const reply = (await this.send('POST', '/v1/tasks', this.body(task, { clientId: task.id }), key)) as { data: ServerTaskJson };
    return decodeTask(reply.data);
  }

  async updateTask(task: NaiveTask): Promise<void> {
    if (task.serverId === null) throw new Error('missingServerId');
    await this.send('PUT', `/v1/tasks/${task.serverId}`, this.body(task, {}));
  }

  /** DEFECT (as in the document): "Requires server ID lookup first / Simplified for brevity". */
  async deleteTask(_id: string): Promise<void> {}

  /**
   * The design's request body: `title`, `isCompleted`, `clientTimestamp` (the LWW stamp,
   * from the raw device clock). `device` and `write` are syncsim's extensions, sent so that
   * ties break by device as for every engine and the trace can name the server's writes.
   */
  private body(task: NaiveTask, extra: Record<string, unknown>): string {
    return JSON.stringify({
      ...extra,
      title: task.title,
      isCompleted: task.completed,
      clientTimestamp: isoOf(task.updatedAt),
      device: this.ports.deviceId,
      ...(task.write !== null && { write: task.write }),
    });
  }

  private async send(method: string, path: string, body?: string, idempotencyKey?: string): Promise<unknown> {
    const controller = new AbortController();
    // URLSession's default request timeout.
    const timer = this.ports.timers.setTimeout(() => controller.abort(), 60_000);
    try {
      const headers: Record<string, string> = { authorization: `Bearer ${this.ports.server.token}`, 'content-type': 'application/json' };
      if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
      const response: FetchResponse = await this.ports.fetch(path, { method, headers, body: body ?? null, signal: controller.signal });
      if (!response.ok) throw new HttpError(response.status);
      return await response.json();
    } finally {
      this.ports.timers.clearTimeout(timer);
    }
  }
}

/** A UUID from the device's seeded random port. */
export function uuid(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
