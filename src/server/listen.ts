import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { MAX_BODY_BYTES } from './body.ts';
import { apiError, errorPayload, tooLarge, type ApiError } from './errors.ts';
import { wireRequest, type HttpRequest, type HttpResponse } from './http.ts';
import { acceptsGzip, encodeReply, errorReply } from './respond.ts';
import type { SyncServer } from './server.ts';

export interface HttpServerOptions {
  /** 0 picks a free port; the chosen one is returned. */
  port: number;
  host?: string;
  /** Server time in ms; the only clock the server sees. */
  now: () => number;
  /**
   * How a request becomes its reply; by default the model answers at once. `syncsim serve`
   * wraps it (faults, the journal, the trace); 'reset' closes the connection unanswered.
   */
  exchange?: (request: HttpRequest) => Promise<HttpResponse | 'reset'>;
  /** A request's headers must arrive within this (ms); a slow client gets 408 and is closed. */
  headersTimeoutMs?: number;
  /** A whole request, body included, must arrive within this (ms). */
  requestTimeoutMs?: number;
  /** Open connections at once; past it new ones are closed. Each may buffer a 1 MiB body. */
  maxConnections?: number;
  /** Told of each request answered here, before `exchange` (413, 405 CONNECT, 408, 400): `serve --trace` records them too. */
  onRefused?: (refused: RefusedRequest) => void;
}

/** A request answered by the HTTP layer itself. `request` is null when the parser gave up before knowing it. */
export interface RefusedRequest {
  request: HttpRequest | null;
  method: string;
  path: string;
  status: number;
}

export const DEFAULT_MAX_CONNECTIONS = 256;

export const DEFAULT_HEADERS_TIMEOUT_MS = 10_000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/** The port cannot be bound (in use, not permitted): the user's to fix, told in one line. */
export class ListenError extends Error {
  constructor(message: string, readonly code: string | undefined) {
    super(message);
    this.name = 'ListenError';
  }
}

function listenError(error: NodeJS.ErrnoException, options: HttpServerOptions): Error {
  const where = `${options.host ?? '127.0.0.1'}:${options.port}`;
  if (error.code === 'EADDRINUSE') return new ListenError(`port ${options.port} is already in use on ${where}; pick another with --port N (0 picks a free one)`, error.code);
  if (error.code === 'EACCES') return new ListenError(`not permitted to listen on ${where}; pick a port above 1023 with --port N`, error.code);
  if (error.code === 'EADDRNOTAVAIL') return new ListenError(`cannot listen on ${where}: no such local address; pick another with --host H`, error.code);
  return error;
}

export interface RunningHttpServer {
  port: number;
  close(): Promise<void>;
}

/** Serves a SyncServer over node:http: the adapter only moves bytes; every decision is the model's. */
export async function startHttpServer(server: SyncServer, options: HttpServerOptions): Promise<RunningHttpServer> {
  const headersTimeout = options.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS;
  const requestTimeout = Math.max(options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS, headersTimeout);
  // node:http checks these timeouts every `connectionsCheckingInterval` (30 s by default).
  const checking = Math.max(50, Math.min(1000, Math.floor(headersTimeout / 2)));
  const http = createServer({ headersTimeout, requestTimeout, connectionsCheckingInterval: checking }, (req, res) => {
    readBody(req).then(
      (body) => {
        const request = wireRequest({
          method: req.method,
          target: req.url ?? '/',
          headers: Object.entries(req.headers),
          body: body === TOO_LARGE ? null : body,
        });
        if (body === TOO_LARGE) {
          const reply = payloadTooLarge(request);
          options.onRefused?.({ request, method: request.method, path: request.path, status: reply.status });
          return send(res, reply);
        }
        if (options.exchange === undefined) return send(res, handleSafely(server, request, options.now()));
        options.exchange(request).then(
          // A real TCP reset (RST), as a dropped mobile connection or a crashed proxy gives.
          (outcome) => (outcome === 'reset' ? (res.socket?.resetAndDestroy() ?? res.destroy()) : send(res, outcome)),
          () => res.destroy(),
        );
      },
      () => res.destroy(),
    );
  });
  http.maxConnections = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  refuseOffApi(http, options.onRefused ?? (() => undefined));
  await new Promise<void>((resolve, reject) => {
    http.once('error', (error: NodeJS.ErrnoException) => reject(listenError(error, options)));
    http.listen(options.port, options.host ?? '127.0.0.1', () => {
      http.off('error', reject);
      resolve();
    });
  });
  const address = http.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.port;
  return {
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        http.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive connections would otherwise hold close() open until they time out.
        http.closeAllConnections();
      }),
  };
}

/**
 * What node:http answers before the model sees a request: CONNECT (a tunnel, which
 * node:http hands to 'connect' and would otherwise drop silently) and methods its parser
 * does not know are 405; a request too slow to arrive is 408; other malformed ones 400.
 */
function refuseOffApi(http: Server, onRefused: (refused: RefusedRequest) => void): void {
  http.on('connect', (req: IncomingMessage, socket: Duplex) => {
    onRefused({ request: null, method: 'CONNECT', path: req.url ?? '', status: 405 });
    rawReply(socket, 405, apiError(405, 'METHOD_NOT_ALLOWED', 'CONNECT is not a method of the API'));
  });
  http.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    // The client went away (a reset mid-request): nobody to answer, and not a request to trace.
    if (error.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    const refuse = (status: number, apiErr: ApiError) => {
      if (socket.writable) onRefused({ request: null, method: UNPARSED, path: '', status });
      rawReply(socket, status, apiErr);
    };
    if (error.code === 'HPE_INVALID_METHOD') refuse(405, apiError(405, 'METHOD_NOT_ALLOWED', 'the API has no such method'));
    else if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') refuse(408, apiError(408, 'REQUEST_TIMEOUT', 'the request did not arrive in time'));
    else refuse(400, apiError(400, 'BAD_REQUEST', `malformed HTTP request (${error.code ?? 'parse error'})`));
  });
}

/** The method a refused request is traced with when the parser never read one. */
export const UNPARSED = '(unparsed)';

/** A complete HTTP/1.1 reply written straight to the socket, which is then closed. */
function rawReply(socket: Duplex, status: number, error: ApiError): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = JSON.stringify(errorPayload(error));
  const reason = STATUS_CODES[status] ?? 'Error';
  const allow = status === 405 ? 'allow: GET, POST, PUT, DELETE, HEAD\r\n' : '';
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nconnection: close\r\ncontent-type: application/json; charset=utf-8\r\n${allow}content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

const TOO_LARGE = Symbol('too large');

/**
 * Reads the body up to the cap. Past it we stop keeping bytes at once (and let the rest
 * drain unread), so a huge upload costs no memory.
 */
function readBody(req: IncomingMessage): Promise<Uint8Array | null | typeof TOO_LARGE> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) {
    req.resume();
    return Promise.resolve(TOO_LARGE);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.off('data', onData);
        chunks.length = 0;
        req.resume();
        resolve(TOO_LARGE);
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(size === 0 ? null : new Uint8Array(Buffer.concat(chunks))));
    req.once('error', reject);
    // A client gone (or timed out) mid-body: nothing to answer, and nothing kept.
    req.once('close', () => {
      if (!req.complete) reject(new Error('request closed before its body ended'));
    });
  });
}

function payloadTooLarge(request: HttpRequest): HttpResponse {
  return encodeReply(errorReply(tooLarge(MAX_BODY_BYTES)), acceptsGzip(request));
}

/** `handle` never throws by contract; this guards the socket if that ever breaks. */
function handleSafely(server: SyncServer, request: HttpRequest, now: number): HttpResponse {
  try {
    return server.handle(request, now);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return encodeReply(errorReply(apiError(500, 'INTERNAL', message)), false);
  }
}

/**
 * Writes the reply. After a 413 the unread rest of the body is drained by node:http;
 * closing the socket instead would make clients still uploading fail with EPIPE.
 */
function send(res: ServerResponse, response: HttpResponse): void {
  res.writeHead(response.status, response.headers);
  res.end(response.body ?? undefined);
}
