import { FaultInjector } from '../server/faults/injector.ts';
import type { FaultProfile } from '../server/faults/profiles.ts';
import { startHttpServer, type HttpServerOptions, type RunningHttpServer } from '../server/listen.ts';
import { RequestJournal, type ReplayReport } from '../server/persist/request-journal.ts';
import { SyncServer, type ServerApplyEvent, type SyncServerOptions } from '../server/server.ts';
import type { SnapshotRow } from '../trace/index.ts';
import { LiveExchange, taskName } from './live-exchange.ts';
import { ServeTrace } from './serve-trace.ts';

export interface LiveServerConfig {
  port: number;
  host: string;
  users: Array<{ name: string; token: string }>;
  /** `--data FILE`: the journal the store is kept in. */
  dataFile?: string;
  /** `--faults PROFILE --seed N`. */
  faults?: { profile: FaultProfile; seed: number };
  /** `--trace FILE`. */
  traceFile?: string;
  /** The model's other options (limits, …), passed through as given. */
  model?: Omit<SyncServerOptions, 'users' | 'onApply'>;
  /** node:http's other options (timeouts, connection cap, …), passed through as given. */
  http?: Omit<HttpServerOptions, 'port' | 'host' | 'now' | 'exchange' | 'onRefused'>;
  /** The real clock (ms); the only one the server sees. */
  clock?: () => number;
  /** Told once when the journal fails (the process must stop) or the trace cannot be written (serving goes on). */
  onFatal?: (error: Error) => void;
  onTraceError?: (error: Error) => void;
}

export interface LiveServer {
  port: number;
  /** What `--data` replayed at start; null without it. */
  replay: ReplayReport | null;
  /** Records appended and fdatasync calls since start (group commit: records per sync); null without --data. */
  journalStats(): { records: number; syncs: number } | null;
  /** Stops listening, waits for the journal, writes the trace's end snapshot. */
  close(): Promise<void>;
}

/**
 * `syncsim serve` assembled: the model, its journal (replayed first), the fault injector,
 * the trace, behind node:http. Throws JournalCorruptError for a damaged data file and
 * ListenError for a port that cannot be bound.
 */
export async function startLiveServer(config: LiveServerConfig): Promise<LiveServer> {
  const clock = config.clock ?? (() => Date.now());
  // Replayed decisions are not traced: the trace tells what this process was asked.
  let onApply: (event: ServerApplyEvent) => void = () => undefined;
  const server = new SyncServer({ ...config.model, users: config.users, onApply: (event) => onApply(event) });
  const journal = config.dataFile === undefined ? undefined : RequestJournal.open(config.dataFile, server);
  const users = new Set([...config.users.map((u) => u.name), ...(journal?.replay.users ?? [])]);
  let trace: ServeTrace | undefined;
  let running: RunningHttpServer | undefined;
  let live: LiveExchange;
  try {
    trace = config.traceFile === undefined ? undefined : ServeTrace.open(config.traceFile, {
      seed: config.faults?.seed ?? 0,
      extra: { faults: config.faults?.profile.name ?? null, data: config.dataFile ?? null, replayed: journal?.replay.records ?? 0 },
    }, clock, (error) => config.onTraceError?.(error));
    live = new LiveExchange({
      server, clock, journal, trace,
      faults: config.faults && new FaultInjector(config.faults.profile, config.faults.seed),
      onFatal: config.onFatal,
    });
    onApply = live.collect;
    running = await startHttpServer(server, { ...config.http, port: config.port, host: config.host, now: clock, exchange: live.exchange, onRefused: live.refused });
  } catch (error) {
    trace?.close(null);
    await journal?.close();
    throw error;
  }
  const http = running;
  return {
    port: http.port,
    replay: journal?.replay ?? null,
    journalStats: () => journal?.stats ?? null,
    async close() {
      live.stop();
      await http.close();
      await journal?.close();
      trace?.close(snapshotRows(server, users));
    },
  };
}

function snapshotRows(server: SyncServer, users: Iterable<string>): SnapshotRow[] {
  const rows: SnapshotRow[] = [];
  for (const user of users) {
    for (const task of server.tasks(user)) {
      rows.push({ task: taskName(user, task.clientId, task.id), id: task.id, title: task.title, completed: task.completed, deleted: task.deleted, write: task.write });
    }
  }
  return rows;
}
