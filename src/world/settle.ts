import type { ClientEngine, Row } from '../engines/engine.ts';
import type { AnyTraceEvent, SnapshotRow, TraceEvent } from '../trace/index.ts';
import type { RemoteServer, RemoteTask } from '../remote/index.ts';
import type { World } from './world.ts';

/** How long the final phase may run, in virtual ms (SPEC §2: until quiescent, at most 5 minutes). */
export const FINAL_PHASE_LIMIT = 5 * 60_000;
/** The final phase polls like a user pulling to refresh, once a second of virtual time. */
const POLL_MS = 1_000;
/** Polls in a row that must change nothing before the world counts as settled. */
const STABLE_POLLS = 2;

export function finalHeal(world: World<ClientEngine>): void {
  world.fault('heal', { final: true });
  world.network.heal();
  world.network.clearDropRules();
  world.network.setConditions({ drop: 0, duplicate: 0, latency: world.initialLatency });
  world.syncServer?.setUnavailable(0);
  world.syncServer?.setRateLimit(null);
  world.remote?.setUnavailable(0);
  world.remote?.setRateLimit(null);
  for (const host of world.devices.values()) {
    world.network.setSwitch(host.id, true);
    if (world.network.connection(host.id) === 'none') world.network.setConnection(host.id, 'wifi');
    host.storage.failWrites = 0;
    host.foreground();
  }
}

/**
 * After the final heal: asks every app to sync once a second until two polls in a row
 * leave the server's cursors where they were, with every queue empty and every device
 * caught up; then lets the world run down to quiescence. Resolves to whether it settled
 * before `limit`.
 */
export async function syncUntilSettled(world: World<ClientEngine>, limit: number): Promise<boolean> {
  let stable = 0;
  const pulls = new PullWatch();
  while (stable < STABLE_POLLS && world.kernel.now < limit) {
    // Not awaited with the model: an await here, between runs, would let the apps' pending
    // continuations (an app the final heal just relaunched) run outside the simulation, on real globals.
    const before = world.remote === null ? modelCursors(world) : await remoteCursors(world, world.remote);
    world.at(world.kernel.now, () => {
      for (const host of world.devices.values()) if (host.running) host.asApp(() => host.app.sync());
    });
    await world.run(Math.min(limit, world.kernel.now + POLL_MS));
    pulls.read(world.trace.events);
    // Messages in flight are no criterion: the polls themselves keep some on the wire.
    const quiet =
      pulls.caughtUp([...world.devices.values()].filter((h) => h.running).map((h) => h.id)) &&
      (await queuedOperations(world)) === 0 &&
      (world.remote === null ? modelCursors(world) : await remoteCursors(world, world.remote)) === before;
    stable = quiet ? stable + 1 : 0;
  }
  const quiescent = await world.runUntilQuiescent(limit);
  return stable >= STABLE_POLLS && quiescent;
}

/**
 * Evidence, from the network, that every device has seen the server's latest change: a
 * successful pull or batch reply, answered after that change, delivered to the device.
 */
class PullWatch {
  private read_ = 0;
  private lastChange = -1;
  private readonly answeredAt = new Map<number, number>();
  private readonly latestPull = new Map<string, number>();

  read(events: readonly AnyTraceEvent[]): void {
    for (; this.read_ < events.length; this.read_++) {
      const e = events[this.read_] as TraceEvent;
      if (e.type === 'server.apply') {
        if (e.result === 'applied') this.lastChange = e.seq;
      } else if (e.type === 'msg.send') {
        if (e.from === 'server' && e.status === 200 && isPull(e.method, e.path)) this.answeredAt.set(e.msg, e.seq);
      } else if (e.type === 'msg.deliver') {
        const answered = this.answeredAt.get(e.msg);
        if (answered !== undefined) this.latestPull.set(e.to, Math.max(answered, this.latestPull.get(e.to) ?? -1));
      }
    }
  }

  caughtUp(devices: readonly string[]): boolean {
    return devices.every((d) => (this.latestPull.get(d) ?? -1) > this.lastChange);
  }
}

function isPull(method: string, path: string): boolean {
  return (method === 'GET' && path.startsWith('/v1/tasks')) || (method === 'POST' && path.startsWith('/v1/sync/batch'));
}

/** The model's change cursor of every user, read synchronously. */
function modelCursors(world: World<ClientEngine>): string {
  const server = world.syncServer;
  if (server === null) return '';
  return [...world.devices.values()].map((d) => server.cursor(d.user)).join(',');
}

/** A real server's change cursor of every user, through its status endpoint. */
async function remoteCursors(world: World<ClientEngine>, remote: RemoteServer): Promise<string> {
  const users = [...world.devices.values()].map((d) => d.user);
  return (await Promise.all(users.map((user) => remote.cursor(user)))).join(',');
}

/** How long engine code the harness awaits (a queue or list read) may take, in virtual ms. */
const SIMULATED_CALL_LIMIT = 60_000;

/**
 * Runs engine code inside the simulation (it may touch IndexedDB) and returns its result.
 * Storage work happens at the same instant (0 ms tasks), so time moves only for engines
 * whose reads wait on timers (a library's idle queue, say), and never past the limit.
 */
export async function inSimulation<T>(world: World<ClientEngine>, work: () => Promise<T>): Promise<T> {
  let result: { value: T } | { error: unknown } | undefined;
  world.at(world.kernel.now, () => {
    work().then((value) => (result = { value }), (error: unknown) => (result = { error }));
  });
  const deadline = world.kernel.now + SIMULATED_CALL_LIMIT;
  await world.run(world.kernel.now);
  for (let next = world.kernel.nextEventTime; result === undefined && next !== undefined && next <= deadline; next = world.kernel.nextEventTime) {
    await world.run(next);
  }
  if (result === undefined) throw new Error(`engine code did not finish inside the simulation (${SIMULATED_CALL_LIMIT / 1000} s of virtual time)`);
  if ('error' in result) throw result.error;
  return result.value;
}

async function queuedOperations(world: World<ClientEngine>): Promise<number> {
  const hosts = [...world.devices.values()].filter((h) => h.running);
  const queues = await inSimulation(world, () => Promise.all(hosts.map((h) => h.asApp(() => h.app.queue()))));
  return queues.reduce((sum, queue) => sum + queue.length, 0);
}

/**
 * Records what each running app's list shows at the end (a `read`, cause `end`), then one
 * `snapshot` per device and one for the server: the end state the checkers judge. One
 * `tasks()` call per device serves both.
 */
export async function recordSnapshots(world: World<ClientEngine>): Promise<void> {
  const hosts = [...world.devices.values()];
  const states = await inSimulation(world, () =>
    Promise.all(hosts.map((h) => (h.running ? h.asApp(async () => ({ tasks: await h.app.tasks(), queue: await h.app.queue() })) : null))),
  );
  hosts.forEach((host, i) => {
    const state = states[i];
    if (state) world.history.read(host.id, 'end', state.tasks);
  });
  hosts.forEach((host, i) => {
    const { tasks, queue } = states[i] ?? { tasks: [], queue: [] };
    world.trace.record('snapshot', { node: host.id, tasks: tasks.map((t) => deviceRow(world, host.id, t)), queue });
  });
  const users = [...new Set(hosts.map((h) => h.user))];
  const server = world.syncServer ?? (world.remote && (await remoteTasks(world.remote, users)));
  if (server) {
    const rows = users.flatMap((user) => server.tasks(user)).map((t): SnapshotRow => ({
      task: world.names.nameServerTask(t.id, t.clientId, t.write),
      id: t.id,
      title: t.title,
      completed: t.completed,
      deleted: t.deleted,
      write: t.write,
    }));
    world.trace.record('snapshot', { node: 'server', tasks: rows, queue: [] });
  }
}

function deviceRow(world: World<ClientEngine>, device: string, task: Row): SnapshotRow {
  return {
    task: world.names.rowTask(device, task),
    id: task.id,
    title: task.title,
    completed: task.completed,
    deleted: task.deleted === true,
    write: task.write ?? null,
  };
}

/** A real server's end state, read through its API before the snapshot is recorded. */
async function remoteTasks(remote: RemoteServer, users: string[]): Promise<{ tasks(user: string): RemoteTask[] }> {
  const byUser = new Map(await Promise.all(users.map(async (user) => [user, await remote.tasks(user)] as const)));
  return { tasks: (user) => byUser.get(user) ?? [] };
}
