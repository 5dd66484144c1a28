import { randomBytes } from 'node:crypto';
import type { HttpRequest } from '../http.ts';
import type { SyncServer } from '../server.ts';
import { JournalCorruptError } from './frame.ts';
import { JournalFile } from './journal-file.ts';
import { JournalLock } from './lock.ts';
import { decodeRecord, encodeRecord, recordOf, requestOf } from './request-record.ts';

/** What opening a journal found and replayed. */
export interface ReplayReport {
  records: number;
  /** Users the journal has records of. */
  users: string[];
  /** A torn last record that was dropped (a kill during its write: it was never acknowledged). */
  droppedTail: { offset: number; bytes: number; problem: string } | null;
  /** Records the model now answers with another status than it did (the model changed since). */
  mismatches: number;
  firstMismatch: string | null;
}

/**
 * `serve --data FILE`: the store as a journal of the requests that changed it. Opening
 * replays every record through `SyncServer.handle` with its recorded `now`; after that,
 * `record` appends each new decision before its reply may be sent (`durable`).
 */
export class RequestJournal {
  private constructor(
    private readonly file: JournalFile,
    private readonly lock: JournalLock,
    readonly replay: ReplayReport,
  ) {}

  /**
   * Opens FILE (creating it), replays it into `server`. Throws JournalCorruptError for damage
   * it must not drop, JournalLockedError when another live process holds it.
   */
  static open(path: string, server: SyncServer): RequestJournal {
    const lock = JournalLock.acquire(path);
    let file: JournalFile | undefined;
    try {
      file = JournalFile.open(path);
      return new RequestJournal(file, lock, replayInto(server, file));
    } catch (error) {
      file?.closeNow();
      lock.release();
      throw error;
    }
  }

  /** Appends one decided request; returns the position its reply must wait on. */
  record(request: HttpRequest, user: string, now: number, status: number): number {
    return this.file.append(encodeRecord(recordOf(request, user, now, status)));
  }

  /** The latest position: a read waits on it so that it never shows a write that is not on disk yet. */
  get position(): number {
    return this.file.position;
  }

  /** Records appended and fdatasync calls made by this process. */
  get stats(): { records: number; syncs: number } {
    return { records: this.file.position, syncs: this.file.syncs };
  }

  durable(position: number): Promise<void> {
    return this.file.durable(position);
  }

  async close(): Promise<void> {
    await this.file.close();
    this.lock.release();
  }
}

function replayInto(server: SyncServer, file: JournalFile): ReplayReport {
  // Each user of the journal gets a token of this process only: records name users, not tokens.
  const tokens = new Map<string, string>();
  const report: ReplayReport = { records: 0, users: [], droppedTail: file.scan.droppedTail, mismatches: 0, firstMismatch: null };
  for (const [index, { offset, payload }] of file.scan.records.entries()) {
    const record = decodeRecord(payload);
    if (typeof record === 'string') throw new JournalCorruptError(offset, `record ${index + 1} at byte ${offset} is not a request record: ${record}`);
    let token = tokens.get(record.user);
    if (token === undefined) {
      token = `replay-${randomBytes(18).toString('base64url')}`;
      tokens.set(record.user, token);
      server.addUser(record.user, token);
    }
    const response = server.handle(requestOf(record, token), record.now);
    if (response.status !== record.status) {
      report.mismatches++;
      report.firstMismatch ??= `record ${index + 1} (${record.method} ${record.path}) was answered ${record.status}, now ${response.status}`;
    }
    report.records++;
  }
  report.users = [...tokens.keys()];
  return report;
}
