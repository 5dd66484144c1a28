import { gzipSync } from 'node:zlib';
import { errorPayload, type ApiError } from './errors.ts';
import { header, type HttpRequest, type HttpResponse } from './http.ts';

/** What a handler answers before encoding: a JSON payload, or none (HEAD). */
export interface Reply {
  status: number;
  payload?: unknown;
  headers?: Record<string, string>;
}

export function errorReply(error: ApiError): Reply {
  return { status: error.status, payload: errorPayload(error), ...(error.headers && { headers: error.headers }) };
}

/** True when the client's Accept-Encoding lists gzip with a non-zero quality. */
export function acceptsGzip(request: HttpRequest): boolean {
  const accept = header(request, 'accept-encoding');
  if (accept === undefined) return false;
  return accept.split(',').some((part) => {
    const [name = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    if (name !== 'gzip' && name !== 'x-gzip') return false;
    const q = params.find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

/** Encodes a reply as JSON text, gzipped when the client accepts it. */
export function encodeReply(reply: Reply, gzip: boolean): HttpResponse {
  const headers: Record<string, string> = { ...reply.headers };
  if (reply.payload === undefined) return { status: reply.status, headers, body: null };
  headers['content-type'] = 'application/json; charset=utf-8';
  headers['vary'] = 'accept-encoding';
  const text = JSON.stringify(reply.payload);
  if (!gzip) return { status: reply.status, headers, body: text };
  const zipped = gzipSync(text);
  headers['content-encoding'] = 'gzip';
  return {
    status: reply.status,
    headers,
    body: new Uint8Array(zipped.buffer, zipped.byteOffset, zipped.byteLength),
  };
}
