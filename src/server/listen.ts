import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { MAX_BODY_BYTES } from './body.ts';
import { apiError, tooLarge } from './errors.ts';
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
}

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
  const http = createServer((req, res) => {
    readBody(req).then(
      (body) => {
        const request = wireRequest({
          method: req.method,
          target: req.url ?? '/',
          headers: Object.entries(req.headers),
          body: body === TOO_LARGE ? null : body,
        });
        if (body === TOO_LARGE) return send(res, payloadTooLarge(request));
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
