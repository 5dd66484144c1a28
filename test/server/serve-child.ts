import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';

/** `syncsim serve` as a real child process (the CLI from source), on a free port of 127.0.0.1. */
export interface ServeChild {
  child: ChildProcess;
  base: string;
  port: number;
  output(): string;
  /** The child's peak resident set (VmHWM) in bytes, read from /proc. */
  peakRss(): number;
  stop(): Promise<void>;
}

export async function startServe(args: string[], timeoutMs = 20_000): Promise<ServeChild> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start in ${timeoutMs} ms: ${output}`)), timeoutMs);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const found = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (found?.[1] && output.includes('Ctrl-C')) {
        clearTimeout(timer);
        resolve(Number(found[1]));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}: ${output}`));
    });
  });
  return {
    child,
    port,
    base: `http://127.0.0.1:${port}`,
    output: () => output,
    peakRss() {
      // tsx is a loader here (--import), not its CLI, so the pid is the server's own process.
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
      if (kb === undefined) throw new Error('no VmHWM in /proc status');
      return Number(kb) * 1024;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
