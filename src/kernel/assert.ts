/** A broken invariant: a bug in syncsim or in simulated code, never a user mistake. */
export class InvariantError extends Error {
  override name = 'InvariantError';
}

/** Stops the run with a message when an invariant does not hold (TigerBeetle style). */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new InvariantError(message);
}

/** Exhaustiveness check for discriminated unions. */
export function unreachable(value: never, what = 'value'): never {
  throw new InvariantError(`unexpected ${what}: ${JSON.stringify(value)}`);
}
