import { closeSync, fdatasync, fsyncSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { encodeFrame, MAGIC, scanJournal, type JournalScan } from './frame.ts';

/**
 * An append-only journal file with group commit. `append` writes a frame at once (in the
 * caller's turn, so records are in the order the model decided them) and returns its
 * position; `durable(position)` resolves once an fdatasync covering it has completed.
 * One fdatasync covers every frame appended before it started, so concurrent requests
 * share a sync instead of paying one each.
 */
export class JournalFile {
  private appended = 0;
  private synced = 0;
  private syncing = false;
  /** fdatasync calls so far: records / syncs is how well group commit groups. */
  syncs = 0;
  private failure: Error | null = null;
  private waiters: Array<{ position: number; resolve: () => void; reject: (error: Error) => void }> = [];

  private constructor(
    readonly path: string,
    private readonly fd: number,
    /** What the file held when opened. */
    readonly scan: JournalScan,
  ) {}

  /**
   * Opens (or creates) the journal and reads its records. A torn tail is cut off the file
   * before anything is appended, or the next record would land after garbage and make it
   * corruption in the middle. Throws JournalCorruptError for damage it must not drop.
   */
  static open(path: string): JournalFile {
    const fd = openSync(path, 'a+');
    try {
      const scan = scanJournal(readFileSync(path));
      if (scan.fresh) {
        ftruncateSync(fd, 0);
        writeSync(fd, MAGIC, 0, 'latin1');
        fsyncSync(fd);
        syncDirectory(path);
        return new JournalFile(path, fd, scan);
      }
      if (scan.droppedTail !== null) {
        ftruncateSync(fd, scan.goodLength);
        fsyncSync(fd);
      }
      return new JournalFile(path, fd, scan);
    } catch (error) {
      closeSync(fd);
      throw error;
    }
  }

  /** Writes one record; returns the position to wait on with `durable`. Throws if the file cannot be written. */
  append(payload: Uint8Array): number {
    if (this.failure !== null) throw this.failure;
    const frame = encodeFrame(payload);
    try {
      // 'a+' opens for appending: every write lands at the end, in call order.
      let written = 0;
      while (written < frame.length) written += writeSync(this.fd, frame, written, frame.length - written);
    } catch (error) {
      this.fail(error instanceof Error ? error : new Error(String(error)));
      throw this.failure;
    }
    return ++this.appended;
  }

  /** The position of the latest record appended (0 before any): what a read must wait on to see nothing unsynced. */
  get position(): number {
    return this.appended;
  }

  /** Resolves once every record up to `position` is on disk; rejects if the file failed. */
  durable(position: number): Promise<void> {
    if (this.failure !== null) return Promise.reject(this.failure);
    if (position <= this.synced) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.waiters.push({ position, resolve, reject });
      this.sync();
    });
  }

  private closed = false;

  /** Waits for pending syncs, then closes the file; appending after that fails. */
  async close(): Promise<void> {
    if (this.closed) return;
    if (this.failure === null) await this.durable(this.appended).catch(() => undefined);
    this.closeNow();
  }

  /** Closes without waiting (nothing was appended, or the file is being abandoned). */
  closeNow(): void {
    if (this.closed) return;
    this.closed = true;
    this.failure ??= new Error(`journal ${this.path} is closed`);
    closeSync(this.fd);
  }

  private sync(): void {
    if (this.syncing || this.synced === this.appended) return;
    this.syncing = true;
    const target = this.appended;
    this.syncs++;
    fdatasync(this.fd, (error) => {
      this.syncing = false;
      if (error) return this.fail(error);
      this.synced = target;
      const ready = this.waiters.filter((w) => w.position <= target);
      this.waiters = this.waiters.filter((w) => w.position > target);
      for (const waiter of ready) waiter.resolve();
      if (this.waiters.length > 0) this.sync();
    });
  }

  /** A write or sync failed: nothing after this point is known to be on disk, so every waiter fails. */
  private fail(error: Error): void {
    this.failure ??= new Error(`journal ${this.path}: ${error.message}`);
    for (const waiter of this.waiters) waiter.reject(this.failure);
    this.waiters = [];
  }
}

/** A new file's name is durable only once its directory is synced (POSIX); where that is impossible (Windows), it is skipped. */
function syncDirectory(path: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dirname(path), 'r');
    fsyncSync(fd);
  } catch {
    // Not supported here; the data is still written.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
