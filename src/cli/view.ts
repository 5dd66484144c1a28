import { spawn } from 'node:child_process';
import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { integerOption, parseCommandArgs, UsageError, type Command } from './usage.ts';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const viewerDir = join(repoRoot, 'viewer');
export const viewerDist = join(viewerDir, 'dist');

/** The sources the built viewer depends on: a change to any of them makes `viewer/dist` stale. */
const sources = [join(viewerDir, 'index.html'), join(viewerDir, 'vite.config.ts'), join(viewerDir, 'src'), join(repoRoot, 'src', 'trace'), join(repoRoot, 'src', 'check')];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

export function viewerIsStale(): boolean {
  const built = join(viewerDist, 'index.html');
  if (!existsSync(built)) return true;
  const builtAt = statSync(built).mtimeMs;
  return sources.some((s) => newestMtime(s) > builtAt);
}

/**
 * Builds the viewer with Vite's JS API when `viewer/dist` is missing or older than its sources.
 * Always a production build: Vite takes NODE_ENV from the caller, and under vitest
 * (NODE_ENV=test) it would bundle React's development build, whose StrictMode runs every
 * effect twice (two loads of one trace racing) and renders about twice as slowly.
 */
export async function ensureViewerBuilt(log: (line: string) => void = () => undefined): Promise<void> {
  if (!viewerIsStale()) return;
  log('building the viewer (viewer/dist is missing or stale)…');
  const { build } = await import('vite');
  const callerNodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: join(viewerDir, 'vite.config.ts'), mode: 'production', logLevel: 'warn' });
  } finally {
    if (callerNodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = callerNodeEnv;
  }
}

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

function openBrowser(url: string): void {
  const [command, args] = process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '', url]] : ['xdg-open', [url]];
  try {
    const child = spawn(command, args as string[], { stdio: 'ignore', detached: true });
    child.on('error', () => console.error(`could not open a browser; open ${url} yourself`));
    child.unref();
  } catch {
    console.error(`could not open a browser; open ${url} yourself`);
  }
}

export const viewCommand: Command = {
  summary: 'open a trace in the browser viewer',
  help: [
    'usage: syncsim view [trace.jsonl] [--port N] [--no-open]',
    '',
    'Serves the trace viewer (SPEC §8) on 127.0.0.1 with the trace, prints the URL and opens',
    'a browser. Without a trace file the page asks for one (or drop it on the page).',
    'Builds viewer/dist first when it is missing or older than its sources.',
    '',
    'options:',
    '  --port N    the port to listen on (default: any free port)',
    '  --no-open   do not open a browser',
    '',
    'Runs until interrupted (Ctrl-C). exit code: 2 bad usage or missing trace file',
  ].join('\n'),
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, { port: { type: 'string' }, 'no-open': { type: 'boolean' } });
    if (positionals.length > 1) throw new UsageError('give at most one trace file');
    const traceFile = positionals[0] === undefined ? undefined : resolve(positionals[0]);
    if (traceFile && (!existsSync(traceFile) || statSync(traceFile).isDirectory())) {
      console.error(`${positionals[0]}: no such file`);
      return 2;
    }
    const port = integerOption('port', values.port, 0);
    await ensureViewerBuilt((line) => console.error(line));
    let view: ViewServer;
    try {
      view = await startViewServer({ traceFile, port });
    } catch (error) {
      console.error(`cannot listen on port ${port}: ${(error as Error).message}`);
      return 2;
    }
    console.log(`syncsim viewer: ${view.url}${traceFile ? ` (trace ${positionals[0]})` : ''}`);
    if (!values['no-open']) openBrowser(view.url);
    await new Promise<void>((done) => {
      const stop = () => void view.close().then(done);
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    return 0;
  },
};
