/**
 * The conflict resolver WatermelonDB calls while applying a pull to a row with local
 * changes. WatermelonDB's own rule keeps the locally changed columns over the server's
 * (per-column client wins); the design's rule is per-row last-write-wins by stamp, ties by
 * device. A delete wins both ways without help: WatermelonDB destroys a row the server
 * deleted, and ignores server updates of a row deleted here (the delete is then pushed).
 */
import { compareWrites } from './stamp.ts';
import type { TaskRaw } from './schema.ts';

/** The columns a write sets: LWW moves them together, as one value. */
const WRITE_COLUMNS = ['title', 'completed', 'stamp', 'device', 'write'] as const;

type Raw = Record<string, unknown>;

export function resolveLww(_table: string, localRaw: Raw, remoteRaw: Raw, resolved: Raw): Raw {
  const local = localRaw as unknown as TaskRaw;
  const remote = remoteRaw as unknown as TaskRaw;
  if (local._status === 'deleted' || local._changed === '') return resolved;
  const localWins = compareWrites(local, remote) > 0;
  if (!localWins) return { ...resolved, ...remoteRaw, id: local.id, _status: 'synced', _changed: '' };
  const kept: Raw = { ...resolved, server_id: remote.server_id, version: remote.version };
  for (const column of WRITE_COLUMNS) kept[column] = local[column];
  // The server has the task now, so a row still marked `created` is an update to push.
  kept._status = 'updated';
  kept._changed = [...new Set([...local._changed.split(',').filter(Boolean), ...WRITE_COLUMNS])].join(',');
  return kept;
}
