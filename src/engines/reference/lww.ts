/**
 * Last-write-wins between two versions of one task: a delete beats any live value (a
 * delete is final), then the greater stamp wins, and the device id breaks stamp ties.
 * The server decides the same way, so every node picks the same winner.
 */
export interface Stamped {
  stamp: string;
  device: string;
  deleted: boolean;
}

/** Compares strings by code unit, as the server does. */
function compareStrings(a: string, b: string): number {
  return a === b ? 0 : a < b ? -1 : 1;
}

/** > 0 when `a` wins over `b`, < 0 when `b` wins, 0 for the same write. */
export function compareWrites(a: Stamped, b: Stamped): number {
  if (a.deleted !== b.deleted) return a.deleted ? 1 : -1;
  return compareStrings(a.stamp, b.stamp) || compareStrings(a.device, b.device);
}

/** The winning version of the two. */
export function winner<T extends Stamped>(a: T, b: T): T {
  return compareWrites(a, b) >= 0 ? a : b;
}
