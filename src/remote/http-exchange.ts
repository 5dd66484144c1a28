import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** A request as the simulated network carries it, and the real server's reply, bytes as they came. */
export interface Exchange {
  method: string;
  /** Path and query string. */
  path: string;
  /** Lower-case names. */
  headers: Record<string, string>;
  body: string | Uint8Array | null;
}

export interface ExchangeReply {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array;
}

/** The real server did not answer: the run cannot go on, whatever the engine does. */
export class RemoteServerError extends Error {
  override name = 'RemoteServerError';
}

/** Replies larger than this are refused: a server that streams forever must not exhaust memory. */
const MAX_REPLY_BYTES = 64 * 1024 * 1024;

/**
 * One HTTP exchange with the real server, by node:http: the body travels as raw bytes both
 * ways (a gzip reply stays gzip, for the device's fetch to decode, as on a phone). Rejects
 * with a RemoteServerError when the server cannot be reached or takes longer than `timeoutMs`.
 */
export function exchange(base: URL, request: Exchange, timeoutMs: number): Promise<ExchangeReply> {
  const url = new URL(request.path, base);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const body = request.body === null ? null : typeof request.body === 'string' ? Buffer.from(request.body) : Buffer.from(request.body);
  const headers = { ...request.headers, ...(body !== null && { 'content-length': String(body.length) }) };
  return new Promise((resolve, reject) => {
    const where = `${request.method} ${url.href}`;
    // A connection per request: a server restarted by --reset must not meet a stale pooled socket.
    const outgoing = send(url, { method: request.method, headers, timeout: timeoutMs, agent: false }, (incoming) => {
      const chunks: Buffer[] = [];
      let size = 0;
      incoming.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_REPLY_BYTES) incoming.destroy(new RemoteServerError(`${where}: the reply is over ${MAX_REPLY_BYTES} bytes`));
        else chunks.push(chunk);
      });
      incoming.on('error', (error) => reject(error instanceof RemoteServerError ? error : new RemoteServerError(`${where}: ${error.message}`)));
      incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, headers: flatHeaders(incoming.headers), body: new Uint8Array(Buffer.concat(chunks)) }));
    });
    outgoing.on('timeout', () => outgoing.destroy(new RemoteServerError(`${where}: no answer within ${timeoutMs} ms`)));
    outgoing.on('error', (error) => reject(error instanceof RemoteServerError ? error : new RemoteServerError(`${where}: ${error.message}`)));
    outgoing.end(body ?? undefined);
  });
}

function flatHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}
