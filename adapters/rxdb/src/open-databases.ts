/**
 * RxDB's process-wide bookkeeping of open databases, released for the dead. RxDB counts
 * open collections per process (at most 13 without its premium flag: the 14th waits 1.8 s
 * and the 15th throws COL23), and keeps every database it opened in module-level maps. A
 * crashed incarnation never closes its database, and a finished run closes nothing, so
 * without this a fuzz worker would stall after a dozen devices and keep every run's data.
 *
 * Which databases are dead: the previous incarnation of a device that launches again, and
 * every database of an earlier run. A run is recognised by virtual time, which starts at 0
 * in every run and never goes back inside one: `performance.now()` (virtual during a run)
 * is observed at every launch, pulled document, poll and read, and a reading below the
 * last one means a new run (a generation) has begun.
 *
 * Releasing: the dead collection leaves RxDB's open set at once (what the first, synchronous
 * step of its `close()` does), so the count never depends on what ran before in the process.
 * The database is not closed: closing would wake the dead incarnation's pending promises
 * (Dexie rejects them), whose continuations still run as that incarnation.
 */
import { OPEN_COLLECTIONS, type RxDatabase } from 'rxdb';

export interface OpenDatabase {
  deviceId: string;
  generation: number;
  database: RxDatabase;
  /** Stops this incarnation's own loops (poll timers, subscriptions). */
  stop(): void;
}

let generation = 0;
let lastSeen = -1;
const open = new Set<OpenDatabase>();

/** The current run's generation, after observing virtual time. */
export function observeRun(): number {
  const now = performance.now();
  if (now < lastSeen) generation += 1;
  lastSeen = now;
  return generation;
}

/** Before a device opens its database: releases its previous incarnation and every database of an earlier run. */
export function releaseDead(deviceId: string): number {
  const current = observeRun();
  for (const entry of [...open]) {
    if (entry.deviceId === deviceId || entry.generation !== current) release(entry);
  }
  return current;
}

export function register(entry: OpenDatabase): void {
  open.add(entry);
}

/** How many databases this module holds open (for tests). */
export function openCount(): number {
  return open.size;
}

function release(entry: OpenDatabase): void {
  open.delete(entry);
  entry.stop();
  // What collection.close() does first, and the only part done: the count of open collections
  // is the live ones'. Closing the database itself would wake the dead incarnation's pending
  // promises (Dexie rejects them), whose continuations still run as that incarnation.
  for (const collection of Object.values(entry.database.collections)) OPEN_COLLECTIONS.delete(collection);
}
