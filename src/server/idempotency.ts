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

interface UserRecords {
  /** In insertion order, so the first entry is the oldest. */
  byKey: Map<string, IdempotencyRecord>;
  bytes: number;
}

/**
 * Idempotency keys per user. Keys are durable like the store (a restart keeps them),
 * because a client's retry can straddle a server restart. Each user's records are held
 * to a byte budget: past it the oldest are forgotten (a retry that late is a new request).
 */
export class IdempotencyRecords {
  private readonly byUser = new Map<string, UserRecords>();

  constructor(private readonly maxBytesPerUser = Number.POSITIVE_INFINITY) {}

  lookup(user: string, key: string): IdempotencyRecord | undefined {
    return this.byUser.get(user)?.byKey.get(key);
  }

  save(user: string, key: string, record: IdempotencyRecord): void {
    let records = this.byUser.get(user);
    if (records === undefined) {
      records = { byKey: new Map(), bytes: 0 };
      this.byUser.set(user, records);
    }
    const old = records.byKey.get(key);
    if (old !== undefined) records.bytes -= recordCost(key, old);
    records.byKey.delete(key);
    const copy = { ...record, data: { ...record.data }, meta: record.meta && { ...record.meta } };
    records.byKey.set(key, copy);
    records.bytes += recordCost(key, copy);
    for (const [oldest, kept] of records.byKey) {
      if (records.bytes <= this.maxBytesPerUser || oldest === key) break;
      records.byKey.delete(oldest);
      records.bytes -= recordCost(oldest, kept);
    }
  }
}

/** Strings as UTF-16 plus the fingerprint and a fixed overhead: the task copy dominates. */
function recordCost(key: string, record: IdempotencyRecord): number {
  return 2 * (key.length + record.data.title.length + record.data.clientId.length + record.data.stamp.length) + 512;
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
