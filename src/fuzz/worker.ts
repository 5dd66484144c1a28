/**
 * A fuzz worker thread: receives seeds, runs each (shrinking and writing failures) and
 * replies with its record. Started by WorkerPool with tsx's loader.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { fuzzSeed, type SeedJobConfig, type SeedRecord } from './seed-job.ts';

export interface WorkerRequest {
  seed: number;
}

export type WorkerReply = { seed: number; record: SeedRecord } | { seed: number; error: string };

if (!isMainThread && parentPort !== null) {
  const port = parentPort;
  const config = workerData as SeedJobConfig;
  const now = () => performance.now();
  port.on('message', (request: WorkerRequest) => {
    fuzzSeed(request.seed, config, now).then(
      (record) => port.postMessage({ seed: request.seed, record } satisfies WorkerReply),
      (error: unknown) => port.postMessage({ seed: request.seed, error: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies WorkerReply),
    );
  });
}
