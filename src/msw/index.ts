/**
 * `syncsim/msw`: the server model as msw 2 request handlers, for a team's own test suite.
 * msw is an optional peer dependency; this folder is the only place in src/ that imports it.
 */
export {
  syncHandlers,
  type SyncBackend,
  type SyncFaults,
  type SyncHandlersOptions,
  type SyncUser,
  type ServedRequest,
  type RequestOutcome,
} from './backend.ts';
export type { CountedFault } from './counted-faults.ts';
export type { RequestLine, RequestMatch } from './request-match.ts';
export type { RateLimit, ServerApplyEvent, WireTask } from '../server/index.ts';
