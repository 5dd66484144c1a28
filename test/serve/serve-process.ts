// One process (tsx as a loader, not its CLI, which would run the server in a child that a SIGKILL of the parent leaves behind).
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

/** `syncsim serve` as a real child process on 127.0.0.1 (port 0), for tests that kill it. */
export interface ServeProcess {
  base: string;
  child: ChildProcess;
  output(): string;
  /** kill -9: no handler runs, nothing is flushed. */
  kill9(): Promise<void>;
  /** SIGTERM, the clean stop; resolves with the exit code. */
  stop(): Promise<number | null>;
}

export async function startServe(args: string[], timeoutMs = 20_000): Promise<ServeProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start in ${timeoutMs} ms: ${output}`)), timeoutMs);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const found = /listening on (http:\/\/127\.0\.0\.1:(\d+))/.exec(output);
      if (found?.[1] && output.includes('Ctrl-C')) {
        clearTimeout(timer);
        resolve(found[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}: ${output}`));
    });
  });
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  return {
    base,
    child,
    output: () => output,
    async kill9() {
      if (exited()) return;
      const gone = once(child, 'exit');
      child.kill('SIGKILL');
      await gone;
    },
    async stop() {
      if (!exited()) {
        const gone = once(child, 'exit');
        child.kill('SIGTERM');
        await gone;
      }
      return child.exitCode;
    },
  };
}

/** Runs `syncsim serve` expecting it to exit at once (bad input); resolves with its exit code and output. */
export async function serveExit(args: string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearTimeout(timer);
  return { code, output };
}

export const auth = (token = 'demo-token', extra: Record<string, string> = {}) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json', ...extra });

/** Every task of the user (tombstones too), paged through the delta. */
export async function allTasks(base: string, token = 'demo-token'): Promise<Array<{ id: string; clientId: string; title: string; deleted: boolean }>> {
  const tasks: Array<{ id: string; clientId: string; title: string; deleted: boolean }> = [];
  let since = 0;
  for (let page = 0; page < 10_000; page++) {
    const res = await fetch(`${base}/v1/tasks?since=${since}&limit=500`, { headers: auth(token) });
    if (res.status !== 200) throw new Error(`delta answered ${res.status}: ${await res.text()}`);
    const body = (await res.json()) as { data: { tasks: typeof tasks; nextCursor: number; hasMore: boolean } };
    tasks.push(...body.data.tasks);
    since = body.data.nextCursor;
    if (!body.data.hasMore) return tasks;
  }
  throw new Error('the delta never ended');
}
