/**
 * The viewer's static server: the built viewer's files and, at `/trace.jsonl`, one trace
 * file, on 127.0.0.1 only. What `syncsim view` and the browser tests serve.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { viewerDist } from './viewer-files.ts';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

export interface ViewServer {
  server: Server;
  url: string;
  close(): Promise<void>;
}

/**
 * Serves the built viewer and, at `/trace.jsonl`, the trace file (204 when there is none, so
 * the page asks for a file). Binds to 127.0.0.1 only.
 */
export function startViewServer(options: { traceFile?: string; port?: number }): Promise<ViewServer> {
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    if (path === '/trace.jsonl') {
      if (!options.traceFile) {
        response.writeHead(204).end();
        return;
      }
      // One buffer with a length: the browser reads it far faster than a chunked stream.
      readFile(options.traceFile).then(
        (body) => response.writeHead(200, { 'content-type': 'application/x-ndjson; charset=utf-8', 'content-length': body.length, 'cache-control': 'no-store' }).end(body),
        (error: Error) => response.writeHead(500, { 'content-type': 'text/plain' }).end(`cannot read the trace: ${error.message}`),
      );
      return;
    }
    const file = normalize(join(viewerDist, path === '/' ? 'index.html' : path));
    if (!file.startsWith(viewerDist + sep) || !existsSync(file) || statSync(file).isDirectory()) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    response.writeHead(200, { 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(response);
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolvePromise({
        server,
        url: `http://127.0.0.1:${port}/`,
        close: () => new Promise((done) => {
          server.closeAllConnections();
          server.close(() => done());
        }),
      });
    });
  });
}
