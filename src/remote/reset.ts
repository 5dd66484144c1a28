import { spawnSync } from 'node:child_process';
import { RemoteServerError } from './http-exchange.ts';

/** How long `--reset CMD` may take. */
const RESET_TIMEOUT_MS = 120_000;

/**
 * Gives the real server a fresh state before a run: runs `command` in a shell from the
 * working directory and waits for it to exit 0 (SPEC §7 `--reset`). The contract: when the
 * command returns, the server answers requests with an empty store for every user (a
 * command that truncates the database, or restarts the process and waits until it is up).
 * Synchronous on purpose: it happens between runs, never inside one.
 */
export function resetServer(command: string, url: string): void {
  const done = spawnSync(command, { shell: true, stdio: ['ignore', 'pipe', 'pipe'], timeout: RESET_TIMEOUT_MS, env: { ...process.env, SYNCSIM_SERVER: url } });
  if (done.error !== undefined) throw new RemoteServerError(`--reset "${command}" failed: ${done.error.message}`);
  if (done.status !== 0) {
    const said = `${done.stderr.toString('utf8')}${done.stdout.toString('utf8')}`.trim().slice(-500);
    throw new RemoteServerError(`--reset "${command}" exited ${done.status ?? `on ${done.signal ?? 'a signal'}`}${said === '' ? '' : `: ${said}`}`);
  }
}
