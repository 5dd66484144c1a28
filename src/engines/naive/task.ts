import type { LocalTask } from '../engine.ts';

/** The document's Task: a local row with its raw device-clock timestamps. */
export interface NaiveTask extends LocalTask {
  createdAt: number;
  updatedAt: number;
}
