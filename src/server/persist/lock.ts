import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';

/** The data file is held by another live process: two writers would interleave their records. */
export class JournalLockedError extends Error {
  override name = 'JournalLockedError';
  constructor(readonly path: string, readonly pid: number) {
    super(`${path} is in use by process ${pid} (another syncsim serve?); stop it, or give another --data file`);
  }
}

/**
 * One process per journal, by a lock file beside it (`FILE.lock`, holding the owner's pid).
 * A kill -9 leaves the lock behind; a lock whose process is gone is taken over.
 */
export class JournalLock {
  private constructor(private readonly lockPath: string) {}

  static acquire(path: string): JournalLock {
    const lockPath = `${path}.lock`;
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const fd = openSync(lockPath, 'wx');
        writeSync(fd, String(process.pid));
        closeSync(fd);
        return new JournalLock(lockPath);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const owner = Number.parseInt(readLock(lockPath), 10);
      if (Number.isInteger(owner) && owner !== process.pid && isAlive(owner)) throw new JournalLockedError(path, owner);
      rmSync(lockPath, { force: true });
    }
    throw new Error(`could not take the lock ${lockPath}`);
  }

  release(): void {
    rmSync(this.lockPath, { force: true });
  }
}

function readLock(lockPath: string): string {
  try {
    return readFileSync(lockPath, 'utf8');
  } catch {
    return '';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, owned by someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
