import { Worker } from 'node:worker_threads';
import type { SeedJobConfig, SeedRecord } from './seed-job.ts';
import type { WorkerReply, WorkerRequest } from './worker.ts';

/** A seed whose worker could not report a record: the thread died on it, or the job threw. */
export type LostSeed = (seed: number, reason: string, wallMs: number) => SeedRecord;

/**
 * Worker threads that run seeds. Each worker takes the next seed as soon as it is free, so
 * slow seeds (shrinking) do not hold the others back; the caller orders results by seed.
 * From the sources, workers load TypeScript through tsx, which worker-entry.mjs registers. A
 * worker that dies (an engine that exits the thread, or throws outside any run) costs its
 * seed, which `lost` records, and is replaced, so the campaign goes on.
 */
/**
 * Built (dist/, this file is .js) the worker is plain JavaScript; from the sources,
 * worker-entry.mjs registers tsx in the thread first. Either way a user's .ts engine
 * module is loaded through tsx's tsImport (engines/resolve.ts).
 */
const WORKER_ENTRY = import.meta.url.endsWith('.js') ? new URL('./worker.js', import.meta.url) : new URL('./worker-entry.mjs', import.meta.url);

export class WorkerPool {
  constructor(
    private readonly size: number,
    private readonly config: SeedJobConfig,
    private readonly now: () => number,
  ) {}

  async run(seeds: readonly number[], onRecord: (record: SeedRecord) => void, lost: LostSeed): Promise<void> {
    const queue = [...seeds];
    const lanes = Array.from({ length: Math.min(this.size, queue.length) }, () => this.lane(queue, onRecord, lost));
    await Promise.all(lanes);
  }

  /** One worker (and its replacements) taking seeds from the shared queue until it is empty; at most one respawn per seed. */
  private async lane(queue: number[], onRecord: (record: SeedRecord) => void, lost: LostSeed): Promise<void> {
    let thread = this.spawn();
    try {
      for (let seed = queue.shift(); seed !== undefined; seed = queue.shift()) {
        const started = this.now();
        const answer = await ask(thread, seed);
        if (answer.kind === 'record') {
          onRecord(answer.record);
          continue;
        }
        onRecord(lost(seed, answer.reason, this.now() - started));
        if (answer.kind === 'died') {
          await thread.worker.terminate();
          thread = this.spawn();
        }
      }
    } finally {
      await thread.worker.terminate();
    }
  }

  private spawn(): SeedThread {
    // Not the parent's execArgv: under vitest or the tsx CLI it names loaders a worker cannot use.
    const worker = new Worker(WORKER_ENTRY, { workerData: this.config, execArgv: [] });
    // Listened to from the start, so a death between two seeds is noticed (and an 'error' event never goes unheard).
    const death = new Promise<string>((resolve) => {
      worker.once('error', (error: unknown) => resolve(`the fuzz worker thread crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`));
      worker.once('exit', (code: number) => resolve(`the fuzz worker thread exited with code ${code}`));
    });
    worker.on('error', () => {});
    return { worker, death };
  }
}

interface SeedThread {
  worker: Worker;
  /** Resolves, with what happened, when the thread dies. */
  death: Promise<string>;
}

type Answer = { kind: 'record'; record: SeedRecord } | { kind: 'threw'; reason: string } | { kind: 'died'; reason: string };

/** Sends one seed and waits for its reply, or for the thread to die trying. */
function ask({ worker, death }: SeedThread, seed: number): Promise<Answer> {
  let onMessage: (reply: WorkerReply) => void = () => {};
  const reply = new Promise<Answer>((resolve) => {
    onMessage = (reply) => {
      if (reply.seed !== seed) return;
      resolve('error' in reply ? { kind: 'threw', reason: reply.error } : { kind: 'record', record: reply.record });
    };
    worker.on('message', onMessage);
  });
  worker.postMessage({ seed } satisfies WorkerRequest);
  const died = death.then((reason): Answer => ({ kind: 'died', reason: `${reason} (on seed ${seed})` }));
  return Promise.race([reply, died]).finally(() => worker.off('message', onMessage));
}
