import type { TaskValue } from '../trace/events.ts';
import type { EnginePorts } from './ports.ts';

/**
 * Labels the harness attaches to a user's write so the trace can name it. An engine
 * treats them as opaque: it records `write` in its `op` event, stores it with the row,
 * sends it to the server with the operation (body field `write`), and reports it in
 * `device.apply` when a row takes that write's value.
 */
export interface WriteLabel {
  /** Unique write id, e.g. "phone#3". */
  write: string;
}

export type SyncStatus = 'synced' | 'pending' | 'syncing' | 'failed';

/**
 * A row as an engine shows it (SPEC §3.1): what the user sees in the list. `clientId` is
 * the id the creating device's `create` returned; `deleted` marks a tombstone an engine
 * keeps; `write` may echo the harness's label (a hint, never required).
 */
export interface Row {
  id: string;
  clientId?: string | null;
  serverId?: string | null;
  title: string;
  completed: boolean;
  deleted?: boolean;
  write?: string | null;
}

/** A row of the local database, as the user (and the end-of-run snapshot) sees it. */
export interface LocalTask extends TaskValue {
  /** The engine's own id for the row (the clientId it sends when creating). */
  id: string;
  /** The task's identity across devices: the creating device's clientId. */
  clientId: string | null;
  serverId: string | null;
  /** The write whose value this row holds. */
  write: string | null;
  syncStatus: SyncStatus;
  /** Why the last sync of this task failed (e.g. QUOTA_EXCEEDED), while it is `failed`. */
  error?: string;
}

/** What is left in the queue, for snapshots and the viewer. */
export interface QueuedOperation {
  kind: 'create' | 'update' | 'delete';
  task: string;
  write: string | null;
  attempts: number;
}

/** A write the user could not make (its local transaction failed): nothing changed. */
export class LocalWriteError extends Error {
  override name = 'LocalWriteError';
}

/**
 * Whether an engine's rejection is a failed local write. By `name`, not `instanceof`: an
 * engine module defines its own error class (it imports nothing of syncsim).
 */
export function isLocalWriteError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'LocalWriteError';
}

/**
 * A client engine on one device incarnation. The user's calls resolve once the change is
 * committed locally (never waiting for the network); a rejection means nothing changed.
 */
export interface ClientEngine {
  /** Resolves when the local database is open and the queue resumed. */
  readonly ready: Promise<void>;
  /** Creates a task; resolves to its local id. */
  create(value: { title: string; completed?: boolean }, label: WriteLabel): Promise<string>;
  update(id: string, change: { title?: string; completed?: boolean }, label: WriteLabel): Promise<void>;
  delete(id: string, label: WriteLabel): Promise<void>;
  /** User pull-to-refresh: sync as soon as possible. */
  sync(): void;
  /** The rows the user can see; an engine may include its tombstones (`deleted: true`). */
  tasks(): Promise<Row[]>;
  /** Pending operations. */
  queue(): Promise<QueuedOperation[]>;
}

export type EngineFactory = (ports: EnginePorts) => ClientEngine;

/** An engine the CLI can name: `reference`, `naive`, `mutant:<name>`. */
export interface EngineDescriptor {
  name: string;
  summary: string;
  /** For mutants: the guarantee the defect breaks. */
  breaks?: string;
  create: EngineFactory;
  /** Reads only its ports (define.ts): runs may attribute work to devices per event. */
  portsOnly?: boolean;
}
