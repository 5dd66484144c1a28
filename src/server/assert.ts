/** A broken server invariant: a bug in this module, never something a client can cause. */
export class AssertionError extends Error {
  override name = 'AssertionError';
}

/** Stops the current request at a broken invariant instead of carrying on with a wrong store. */
export function assert(condition: boolean, message: string): asserts condition {
  if (!condition) throw new AssertionError(`server invariant: ${message}`);
}
