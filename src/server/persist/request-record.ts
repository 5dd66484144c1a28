import type { HttpRequest } from '../http.ts';

/**
 * One journal record: a request that changed (or may have changed) the store, with the
 * server time it was decided at. The model is deterministic given (state, request, now),
 * so replaying the records in order rebuilds the store exactly.
 *
 * The bearer token is not kept: the record names the user it authenticated as, so that a
 * restart with other tokens (`--user alice:new-token`) still finds alice's tasks, and the
 * file holds no credentials.
 */
export interface RequestRecord {
  now: number;
  user: string;
  method: string;
  path: string;
  /** Lower-case names, `authorization` left out. */
  headers: Record<string, string>;
  /** The raw body as sent (gzip bytes too), base64; null when there was none. */
  body: string | null;
  /** The status the model answered, so a replay that decides otherwise (a changed model) is noticed. */
  status: number;
}

export function recordOf(request: HttpRequest, user: string, now: number, status: number): RequestRecord {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) if (name !== 'authorization') headers[name] = value;
  const body = request.body === null ? null : Buffer.from(typeof request.body === 'string' ? Buffer.from(request.body, 'utf8') : request.body).toString('base64');
  return { now, user, method: request.method, path: request.path, headers, body, status };
}

export function encodeRecord(record: RequestRecord): Uint8Array {
  return Buffer.from(JSON.stringify(record), 'utf8');
}

/**
 * The request to replay, authenticated with `token` (one that names the record's user in
 * this process). Without Accept-Encoding: nobody reads a replayed reply, so it is not gzipped.
 */
export function requestOf(record: RequestRecord, token: string): HttpRequest {
  const { 'accept-encoding': _unread, ...headers } = record.headers;
  return {
    method: record.method,
    path: record.path,
    headers: { ...headers, authorization: `Bearer ${token}` },
    body: record.body === null ? null : new Uint8Array(Buffer.from(record.body, 'base64')),
  };
}

/** Parses a payload whose checksum held; a wrong shape then means the file was written by something else. */
export function decodeRecord(payload: Uint8Array): RequestRecord | string {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(payload).toString('utf8'));
  } catch (error) {
    return `its payload is not JSON (${(error as Error).message})`;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'its payload is not an object';
  const r = value as Record<string, unknown>;
  if (typeof r.now !== 'number' || !Number.isFinite(r.now)) return '"now" is not a number';
  if (typeof r.user !== 'string' || r.user === '') return '"user" is not a name';
  if (typeof r.method !== 'string' || typeof r.path !== 'string') return '"method" or "path" is not a string';
  if (typeof r.headers !== 'object' || r.headers === null || Array.isArray(r.headers)) return '"headers" is not an object';
  if (!Object.values(r.headers).every((v) => typeof v === 'string')) return 'a header value is not a string';
  if (r.body !== null && typeof r.body !== 'string') return '"body" is neither base64 text nor null';
  if (!Number.isInteger(r.status)) return '"status" is not an integer';
  return r as unknown as RequestRecord;
}
