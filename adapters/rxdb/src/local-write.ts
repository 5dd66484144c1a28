/** A write the user could not make: the harness reports it as failed (SPEC §3.1), by this name. */
export class LocalWriteError extends Error {
  override name = 'LocalWriteError';
}

/** The local transaction failed (RxDB rejects with the storage's error): nothing was written. */
export function localWriteError(what: string, cause: unknown): LocalWriteError {
  const message = cause instanceof Error ? cause.message : String(cause);
  return new LocalWriteError(`${what}: ${message}`);
}
