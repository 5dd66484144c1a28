import type { NaiveTask } from './task.ts';
import type { EnginePorts, FetchResponse } from '../ports.ts';

/** A task as the server sends it. */
export interface ServerTask {
  id: string;
  clientId: string;
  title: string;
  completed: boolean;
  updatedAt: number;
  stamp: string;
  deleted: boolean;
  write?: string | null;
}

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
    const reply = (await this.send('GET', '/v1/tasks')) as { data: { tasks: ServerTask[] } };
    return reply.data.tasks;
  }

  async createTask(task: NaiveTask): Promise<ServerTask> {
    // DEFECT (as in the document): a fresh idempotency key for every attempt, so a retry
    // after a lost reply is a new request as far as the key goes.
    const key = uuid(this.ports.random);
    const reply = (await this.send('POST', '/v1/tasks', this.body(task, { clientId: task.id }), key)) as { data: ServerTask };
    return reply.data;
  }

  async updateTask(task: NaiveTask): Promise<void> {
    if (task.serverId === null) throw new Error('missingServerId');
    await this.send('PUT', `/v1/tasks/${task.serverId}`, this.body(task, {}));
  }

  /** DEFECT (as in the document): "Requires server ID lookup first / Simplified for brevity". */
  async deleteTask(_id: string): Promise<void> {}

  private body(task: NaiveTask, extra: Record<string, unknown>): string {
    return JSON.stringify({
      ...extra,
      title: task.title,
      completed: task.completed,
      stamp: stampOf(task.updatedAt),
      device: this.ports.deviceId,
      write: task.write,
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
