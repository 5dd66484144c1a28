import type { WireTask } from './types.ts';

/**
 * A task as it goes out in JSON: both dialects at once (SPEC §4). The design's fields
 * (`isCompleted`, ISO-8601 `createdAt`/`updatedAt`) sit beside syncsim's own; the
 * extensions `device` and `write` appear only when they hold something.
 */
export interface TaskJson {
  id: string;
  clientId: string;
  title: string;
  completed: boolean;
  isCompleted: boolean;
  createdAt: string;
  updatedAt: string;
  version: number;
  stamp: string;
  deleted: boolean;
  device?: string;
  write?: string;
}

export function taskJson(task: WireTask): TaskJson {
  return {
    id: task.id,
    clientId: task.clientId,
    title: task.title,
    completed: task.completed,
    isCompleted: task.completed,
    createdAt: isoTime(task.createdAt),
    updatedAt: isoTime(task.updatedAt),
    version: task.version,
    stamp: task.stamp,
    deleted: task.deleted,
    ...(task.device !== '' && { device: task.device }),
    ...(task.write !== null && { write: task.write }),
  };
}

/** Server time (ms since the epoch, or since the run started in a simulation) as ISO-8601. */
export function isoTime(ms: number): string {
  return new Date(Math.min(Math.max(ms, MIN_INSTANT), MAX_INSTANT)).toISOString();
}

/** Years 0000 to 9999: outside them toISOString's years grow a sign and stop sorting as text. */
const MIN_INSTANT = -62167219200000;
const MAX_INSTANT = 253402300799999;

/** RFC 3339 date-time: what Swift's `.iso8601` writes, with or without fractional seconds. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i;

/** An ISO-8601 instant as ms since the epoch, or null when the text is not one (or out of range). */
export function parseInstant(text: string): number | null {
  if (!ISO_INSTANT.test(text)) return null;
  const ms = Date.parse(text);
  return Number.isFinite(ms) && ms >= MIN_INSTANT && ms <= MAX_INSTANT ? ms : null;
}

/**
 * The LWW stamp of a client timestamp: the instant in UTC with exactly three fraction
 * digits, so that comparing stamps as strings compares instants (`…00.500Z` > `…00Z`).
 */
export function instantStamp(ms: number): string {
  return isoTime(ms);
}
