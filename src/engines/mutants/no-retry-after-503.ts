import { RequestFailure } from '../reference/api-client.ts';
import { defineMutant } from './define.ts';

export const noRetryAfter503 = defineMutant(
  'no-retry-after-503',
  'after a 503 or 429 the engine schedules no retry (and polls do not resume it) until an explicit sync',
  'sync-latency: writes wait long after the server is back, until the user pulls to refresh',
  {
    // DEFECT: an "unavailable" answer is taken as "give up" instead of "come back later".
    autoRetry: (error) => !(error instanceof RequestFailure && (error.status === 503 || error.status === 429)),
  },
);
