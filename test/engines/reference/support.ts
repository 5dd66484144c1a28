import type { ClientEngine, LocalTask } from '../../../src/engines/engine.ts';
import { referenceEngine } from '../../../src/engines/reference/index.ts';
import type { NetworkConditions } from '../../../src/net/index.ts';
import { World } from '../../../src/world/index.ts';

/** The reference engine, whose rows carry its sync status (an engine's rows need not). */
export type RefApp = Omit<ClientEngine, 'tasks'> & { tasks(): Promise<LocalTask[]> };
export type RefWorld = World<RefApp>;

export function world(devices: Array<string | { id: string; skew?: number }>, options: { seed?: number; network?: Partial<NetworkConditions> } = {}): RefWorld {
  return new World<RefApp>({
    seed: options.seed ?? 7,
    engine: 'reference',
    devices: devices.map((d) => (typeof d === 'string' ? { id: d } : d)),
    network: options.network ?? { latency: { min: 20, max: 80 } },
    app: referenceEngine.create as (ports: Parameters<typeof referenceEngine.create>[0]) => RefApp,
  });
}

let writes = 0;

/** A named write label, so trace events name the scenario task. */
export function label(w: RefWorld, device: string, task: string): { write: string } {
  const write = `${device}#${++writes}`;
  w.names.nameWrite(write, task);
  return { write };
}

/** Live tasks as "title" or "title ✓", sorted. */
export async function live(engine: ClientEngine): Promise<string[]> {
  return (await engine.tasks()).filter((t) => !t.deleted).map((t) => `${t.title}${t.completed ? ' ✓' : ''}`).sort();
}

export function serverLive(w: RefWorld): string[] {
  return w.syncServer!.tasks('demo').filter((t) => !t.deleted).map((t) => `${t.title}${t.completed ? ' ✓' : ''}`).sort();
}

/** The local id of the live task titled `title` on a device. */
export async function idOf(engine: ClientEngine, title: string): Promise<string> {
  const row = (await engine.tasks()).find((t) => t.title === title && !t.deleted);
  if (row === undefined) throw new Error(`no task "${title}"`);
  return row.id;
}

/** Runs engine work as a step at time `t`, keeping its outcome. */
export function step<T>(w: RefWorld, t: number, work: () => Promise<T>): { result?: T; error?: unknown } {
  const box: { result?: T; error?: unknown } = {};
  w.at(t, () => {
    work().then((result) => (box.result = result), (error: unknown) => (box.error = error));
  });
  return box;
}

export function eventsOf(w: RefWorld, type: string): Array<Record<string, unknown>> {
  return w.trace.events.filter((e) => e.type === type) as unknown as Array<Record<string, unknown>>;
}

/** Every device syncs, then the world runs until polls have spread every change and it is quiet. */
export async function settle(w: RefWorld, from: number): Promise<void> {
  w.at(from, () => {
    for (const host of w.devices.values()) if (host.running) host.app.sync();
  });
  await w.run(from + 15_000);
  await w.runUntilQuiescent(from + 300_000);
}

/** Each device's live tasks equal the server's. */
export async function expectConverged(w: RefWorld, expectFn: (actual: unknown) => { toEqual(expected: unknown): void }): Promise<void> {
  const server = serverLive(w);
  for (const host of w.devices.values()) expectFn({ device: host.id, tasks: await live(host.app) }).toEqual({ device: host.id, tasks: server });
}
