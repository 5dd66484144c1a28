/** Error codes of the API; each is a value a client can branch on. */
export type ErrorCode =
  | 'BAD_REQUEST'
  | 'UNAUTHORIZED'
  | 'QUOTA_EXCEEDED'
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'VERSION_CONFLICT'
  | 'TASK_DELETED'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'RATE_LIMITED'
  | 'INTERNAL'
  | 'SERVICE_UNAVAILABLE'
  | 'TITLE_TOO_LONG'
  | 'CURSOR_AHEAD'
  | 'SYNC_INTERRUPTED'
  | 'REQUEST_TIMEOUT';

/** An error reply as a value: what the client did wrong (or must wait for), never a thrown exception. */
export interface ApiError {
  status: number;
  code: ErrorCode;
  message: string;
  retryable: boolean;
  /** Extra fields beside code/message/retryable, e.g. `serverData`, `currentVersion`. */
  extras?: Record<string, unknown>;
  /** Extra response headers, e.g. `retry-after`, `allow`. */
  headers?: Record<string, string>;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T>(error: ApiError): Result<T> {
  return { ok: false, error };
}

export function apiError(
  status: number,
  code: ErrorCode,
  message: string,
  extras?: Record<string, unknown>,
  headers?: Record<string, string>,
): ApiError {
  const retryable = status === 429 || status === 503;
  return { status, code, message, retryable, ...(extras && { extras }), ...(headers && { headers }) };
}

export const badRequest = (message: string): ApiError => apiError(400, 'BAD_REQUEST', message);
export const notFound = (message: string): ApiError => apiError(404, 'NOT_FOUND', message);
export const tooLarge = (limit: number): ApiError =>
  apiError(413, 'PAYLOAD_TOO_LARGE', `request body is larger than ${limit} bytes`, { limit });

/**
 * 503 or 429 with Retry-After, in the body too; the design's SERVICE_UNAVAILABLE also says
 * how long the outage lasts, in words. The model answers with it, and so does the front a
 * real server gets for the same scenario steps (src/remote).
 */
export function retryLater(status: 429 | 503, code: 'RATE_LIMITED' | 'SERVICE_UNAVAILABLE', message: string, seconds: number): ApiError {
  const extras = code === 'SERVICE_UNAVAILABLE' ? { retryAfter: seconds, estimatedDuration: inWords(seconds) } : { retryAfter: seconds };
  return apiError(status, code, `${message}; retry after ${seconds}s`, extras, { 'retry-after': String(seconds) });
}

function inWords(seconds: number): string {
  if (seconds < 120) return `${seconds} seconds`;
  if (seconds < 7200) return `${Math.ceil(seconds / 60)} minutes`;
  return `${Math.ceil(seconds / 3600)} hours`;
}

/** The JSON body of an error reply: `{ error: { code, message, retryable, ...extras } }`. */
export function errorPayload(error: ApiError): { error: Record<string, unknown> } {
  return {
    error: { code: error.code, message: error.message, retryable: error.retryable, ...error.extras },
  };
}
