/** The server model's public surface; everything else in src/server is internal. */
export { SyncServer, type SyncServerOptions } from './server.ts';
export type { ServerApplyEvent, WireTask, ApplyResult, WriteKind } from './types.ts';
export { wireRequest, type HttpRequest, type HttpResponse, type WireRequest, type WireHeaders } from './http.ts';
export type { RateLimit } from './rate-limit.ts';
export { startHttpServer, type HttpServerOptions, type RunningHttpServer } from './listen.ts';
export { MAX_BODY_BYTES } from './body.ts';
