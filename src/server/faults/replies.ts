import { apiError } from '../errors.ts';
import type { HttpRequest, HttpResponse } from '../http.ts';
import { acceptsGzip, encodeReply, errorReply } from '../respond.ts';

/** The 503 or 429 an injected fault answers with: the API's own error shape and Retry-After (SPEC §4). */
export function faultReply(kind: 'unavailable' | 'rateLimited', retryAfterS: number, request: HttpRequest): HttpResponse {
  const error = kind === 'unavailable'
    ? apiError(503, 'SERVICE_UNAVAILABLE', `the server is unavailable (injected fault); retry after ${retryAfterS}s`, { retryAfter: retryAfterS }, { 'retry-after': String(retryAfterS) })
    : apiError(429, 'RATE_LIMITED', `too many requests (injected fault); retry after ${retryAfterS}s`, { retryAfter: retryAfterS }, { 'retry-after': String(retryAfterS) });
  const response = encodeReply(errorReply(error), acceptsGzip(request));
  return request.method === 'HEAD' ? { ...response, body: null } : response;
}

/** The reply when the journal cannot be written: the write is not durable, so it is not acknowledged. */
export function storageFailureReply(request: HttpRequest): HttpResponse {
  const error = apiError(503, 'SERVICE_UNAVAILABLE', 'the server could not write its data file; retry after 5s', { retryAfter: 5 }, { 'retry-after': '5' });
  return encodeReply(errorReply(error), acceptsGzip(request));
}
