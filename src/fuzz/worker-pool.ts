import { Worker } from 'node:worker_threads';
import type { SeedJobConfig, SeedRecord } from './seed-job.ts';
import type { WorkerReply, WorkerRequest } from './worker.ts';

/**
 * Worker threads that run seeds. Each worker takes the next seed as soon as it is free, so
 * slow seeds (shrinking) do not hold the others back; the caller orders results by seed.
 * Workers load TypeScript through tsx, which worker-entry.mjs registers in the thread.
 */
export class WorkerPool {
  constructor(
    private readonly size: number,
    private readonly config: SeedJobConfig,
  ) {}

  async run(seeds: readonly number[], onRecord: (record: SeedRecord) => void): Promise<void> {
    const queue = [...seeds];
    const workers = Array.from({ length: Math.min(this.size, queue.length) }, () => this.spawn());
    try {
      await Promise.all(workers.map((worker) => drain(worker, queue, onRecord)));
    } finally {
      await Promise.all(workers.map((w) => w.terminate()));
    }
  }

  private spawn(): Worker {
    // Not the parent's execArgv: under vitest or the tsx CLI it names loaders a worker cannot use.
    return new Worker(new URL('./worker-entry.mjs', import.meta.url), { workerData: this.config, execArgv: [] });
  }
}

/** Feeds one worker seeds from the shared queue until it is empty. */
function drain(worker: Worker, queue: number[], onRecord: (record: SeedRecord) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const next = () => {
      const seed = queue.shift();
      if (seed === undefined) return resolve();
      const request: WorkerRequest = { seed };
      worker.postMessage(request);
    };
    worker.on('message', (reply: WorkerReply) => {
      if ('error' in reply) return reject(new Error(`fuzz worker failed on seed ${reply.seed}: ${reply.error}`));
      onRecord(reply.record);
      next();
    });
    worker.on('error', reject);
    worker.on('exit', (code) => {
      if (code !== 0) reject(new Error(`fuzz worker exited with code ${code}`));
    });
    next();
  });
}
