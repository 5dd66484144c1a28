import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SCENARIOS_DIR = join(PACKAGE_DIR, 'node_modules', 'syncsim', 'scenarios');
export const TOKENS = { demo: 'demo-token', other: 'other-token' };

export interface Backend {
  url: string;
  /** The `--reset` command of syncsim's runs against this backend. */
  reset: string;
  /** kill -9 and a start on the same port and data folder; resolves to the URL once it listens again. */
  restart(): Promise<string>;
  stop(): Promise<void>;
}

/** The backend in its own process on 127.0.0.1 and a free port, with a data folder of its own; resolves once it listens (at most 120 s). */
export async function startBackend(extra: string[] = []): Promise<Backend> {
  const port = await freePort();
  const data = mkdtempSync(join(tmpdir(), 'server-pglite-'));
  const secret = `reset-${port}`;
  const args = ['server.mjs', '--port', String(port), '--data', data, '--admin-secret', secret, ...Object.entries(TOKENS).flatMap(([name, token]) => ['--user', `${name}:${token}`]), ...extra];
  let child = await launch(args);
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    reset: `node ${JSON.stringify(join(PACKAGE_DIR, 'reset.mjs'))} ${url} --secret ${secret}`,
    restart: async () => {
      await kill(child);
      child = await launch(args);
      return url;
    },
    stop: async () => {
      await kill(child);
      rmSync(data, { recursive: true, force: true });
    },
  };
}

async function launch(args: string[]): Promise<ChildProcess> {
  const child = spawn(process.execPath, args, { cwd: PACKAGE_DIR, stdio: ['ignore', 'pipe', 'pipe'] });
  let said = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    said = (said + chunk.toString('utf8')).slice(-4000);
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server-pglite did not listen within 120 s: ${said}`));
    }, 120_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString('utf8').includes('listening')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server-pglite exited ${code}: ${said}`));
    });
  });
  return child;
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
