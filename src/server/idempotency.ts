import { createHash } from 'node:crypto';
import type { WriteCommand } from './commands.ts';
import type { WireTask, WriteKind } from './types.ts';

/** What a successful write answered, kept so a retry with the same key gets the same answer. */
export interface IdempotencyRecord {
  fingerprint: string;
  kind: WriteKind;
  taskId: string;
  data: WireTask;
  meta: Record<string, unknown> | undefined;
}

/**
 * Idempotency keys per user. Keys are durable like the store (a restart keeps them),
 * because a client's retry can straddle a server restart.
 */
export class IdempotencyRecords {
  private readonly byUser = new Map<string, Map<string, IdempotencyRecord>>();

  lookup(user: string, key: string): IdempotencyRecord | undefined {
    return this.byUser.get(user)?.get(key);
  }

  save(user: string, key: string, record: IdempotencyRecord): void {
    let records = this.byUser.get(user);
    if (records === undefined) {
      records = new Map();
      this.byUser.set(user, records);
    }
    records.set(key, { ...record, data: { ...record.data }, meta: record.meta && { ...record.meta } });
  }
}

/**
 * The hash of a write's canonical form: its validated fields with sorted keys. Unknown
 * body fields are not part of it, and a batch operation hashes like the single call.
 */
export function fingerprint(command: WriteCommand): string {
  return createHash('sha256').update(canonicalJson(command)).digest('hex');
}

function canonicalJson(command: WriteCommand): string {
  const entries = Object.entries(command)
    .filter(([, value]) => value !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify(Object.fromEntries(entries));
}
