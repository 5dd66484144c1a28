import type { ClientEngine, LocalTask } from '../engines/engine.ts';
import type { SnapshotRow } from '../trace/index.ts';
import type { World } from './world.ts';

/** How long the final phase may run, in virtual ms (SPEC §2: until quiescent, at most 5 minutes). */
export const FINAL_PHASE_LIMIT = 5 * 60_000;
/** Sync rounds after the final heal: a round that changes nothing on the server ends it. */
const MAX_SYNC_ROUNDS = 6;

/**
 * The final heal (SPEC §2): every fault ends — partitions, drop rules, random drops and
 * duplicates, server outages and rate limits, storage failures, airplane mode — every app is
 * running in the foreground, and the world syncs until nothing changes any more.
 */
export function finalHeal(world: World<ClientEngine>): void {
  world.fault('heal', { final: true });
  world.network.heal();
  world.network.clearDropRules();
  world.network.setConditions({ drop: 0, duplicate: 0 });
  world.syncServer?.setUnavailable(0);
  world.syncServer?.setRateLimit(null);
  for (const host of world.devices.values()) {
    world.network.setSwitch(host.id, true);
    if (world.network.connection(host.id) === 'none') world.network.setConnection(host.id, 'wifi');
    host.storage.failWrites = 0;
    host.foreground();
  }
}

/**
 * Runs sync rounds until a round leaves the server's cursor where it was and every queue
 * is empty, or the time limit is reached. Resolves to whether the world settled.
 */
export async function syncUntilSettled(world: World<ClientEngine>, limit: number): Promise<boolean> {
  const server = world.syncServer;
  for (let round = 0; round < MAX_SYNC_ROUNDS; round++) {
    const before = server ? cursors(world) : '';
    world.at(world.kernel.now, () => {
      for (const host of world.devices.values()) if (host.running) host.app.sync();
    });
    const quiet = await world.runUntilQuiescent(limit);
    if (!quiet) return false;
    const pending = await queuedOperations(world);
    if (pending === 0 && (server === null || cursors(world) === before) && round > 0) return true;
  }
  return false;
}

function cursors(world: World<ClientEngine>): string {
  const server = world.syncServer!;
  return [...world.devices.values()].map((d) => server.cursor(d.user)).join(',');
}

/** Runs engine code inside the simulation (it may touch IndexedDB) and returns its result. */
export async function inSimulation<T>(world: World<ClientEngine>, work: () => Promise<T>): Promise<T> {
  let result: { value: T } | { error: unknown } | undefined;
  world.at(world.kernel.now, () => {
    work().then((value) => (result = { value }), (error: unknown) => (result = { error }));
  });
  await world.runUntilQuiescent(world.kernel.now + 1_000);
  if (result === undefined) throw new Error('engine code did not finish inside the simulation');
  if ('error' in result) throw result.error;
  return result.value;
}

async function queuedOperations(world: World<ClientEngine>): Promise<number> {
  const hosts = [...world.devices.values()].filter((h) => h.running);
  const queues = await inSimulation(world, () => Promise.all(hosts.map((h) => h.app.queue())));
  return queues.reduce((sum, queue) => sum + queue.length, 0);
}

/** Records one `snapshot` per device and one for the server: the end state the checkers judge. */
export async function recordSnapshots(world: World<ClientEngine>): Promise<void> {
  const hosts = [...world.devices.values()];
  const states = await inSimulation(world, () =>
    Promise.all(hosts.map(async (h) => (h.running ? { tasks: await h.app.tasks(), queue: await h.app.queue() } : { tasks: [], queue: [] }))),
  );
  hosts.forEach((host, i) => {
    const { tasks, queue } = states[i]!;
    world.trace.record('snapshot', { node: host.id, tasks: tasks.map((t) => deviceRow(world, t)), queue });
  });
  const server = world.syncServer;
  if (server) {
    const users = [...new Set(hosts.map((h) => h.user))];
    const rows = users.flatMap((user) => server.tasks(user)).map((t): SnapshotRow => ({
      task: world.names.resolve(t.clientId, t.write),
      id: t.id,
      title: t.title,
      completed: t.completed,
      deleted: t.deleted,
      write: t.write,
    }));
    world.trace.record('snapshot', { node: 'server', tasks: rows, queue: [] });
  }
}

function deviceRow(world: World<ClientEngine>, task: LocalTask): SnapshotRow {
  return {
    task: world.names.resolve(task.clientId ?? task.serverId ?? task.id, task.write),
    id: task.id,
    title: task.title,
    completed: task.completed,
    deleted: task.deleted,
    write: task.write,
  };
}
