import { assert } from './assert.ts';

/** The longest title a task may have, in Unicode code points (SPEC §4 "Limits"). */
export const MAX_TITLE_CHARS = 10_000;

/** The longest clientId, stamp, device or write label (UTF-16 units): names, not content. */
export const MAX_NAME_CHARS = 1_000;

/**
 * What one user may cost the server. Each budget turns hostile input into a 4xx before
 * it turns into memory: with them, the process's size is bounded by users × budgets.
 */
export interface ServerLimits {
  /** Stored tasks per user, tombstones included (they are kept forever). */
  maxTasks: number;
  /** Bytes of stored tasks per user (titles and ids as UTF-16, plus a fixed overhead per task). */
  maxBytes: number;
  /** The largest reply body (JSON bytes before gzip): delta pages shrink to fit it. */
  maxReplyBytes: number;
  /** Bytes of remembered Idempotency-Key replies per user; the oldest are forgotten past it. */
  maxKeyBytes: number;
}

export const DEFAULT_LIMITS: Readonly<ServerLimits> = {
  maxTasks: 100_000,
  maxBytes: 64 * 1024 * 1024,
  maxReplyBytes: 4 * 1024 * 1024,
  maxKeyBytes: 16 * 1024 * 1024,
};

export function resolveLimits(given: Partial<ServerLimits> = {}): ServerLimits {
  const limits = { ...DEFAULT_LIMITS, ...given };
  for (const [name, value] of Object.entries(limits)) {
    assert(Number.isSafeInteger(value) && value > 0, `limit ${name} must be a positive integer, got ${value}`);
  }
  return limits;
}

/** Whether `text` has more than `max` code points; counted only when its UTF-16 length could exceed `max`. */
export function titleTooLong(text: string, max = MAX_TITLE_CHARS): boolean {
  if (text.length <= max) return false;
  let points = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    // A high surrogate followed by a low one is one code point.
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    points++;
    if (points > max) return true;
  }
  return false;
}

/** What a stored task costs against `maxBytes`: its strings as UTF-16 plus a fixed overhead. */
export function taskCost(task: { id: string; clientId: string; title: string; stamp: string; device: string; write: string | null }): number {
  const strings = task.id.length + task.clientId.length + task.title.length + task.stamp.length + task.device.length + (task.write?.length ?? 0);
  return 2 * strings + TASK_OVERHEAD;
}

/** Object headers, numbers, the indexes and the change log entry: measured roughly, rounded up. */
const TASK_OVERHEAD = 256;
