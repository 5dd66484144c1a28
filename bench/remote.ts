import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { referenceEngine } from '../src/engines/reference/index.ts';
import { loadScenario } from '../src/scenario/index.ts';
import { runScenario } from '../src/world/run-scenario.ts';
import { timed, type Figures } from './report.ts';
import { freePort } from '../test/support/free-port.ts';

/** Library scenarios of the reference engine that reach the server often, with server faults among them. */
const SCENARIOS = ['partition-heal', 'lost-reply-idempotency', 'crash-mid-network-call', 'server-maintenance', 'rate-limit-sync-storm', 'poor-network-retries', 'multi-device-conflict'];

/**
 * `server.url_run_ratio`: wall time of runs whose devices talk to `syncsim serve` in another
 * process over real HTTP (`--server`), over the same runs against the in-process model.
 * The server is restarted empty before each run (the test suite's --reset), outside the
 * timed part.
 */
export async function benchRemote(): Promise<Figures> {
  const dir = mkdtempSync(join(tmpdir(), 'syncsim-bench-remote-'));
  const pidFile = join(dir, 'serve.pid');
  const port = await freePort();
  const restart = () => execFileSync(process.execPath, ['test/support/restart-serve.mjs', String(port), pidFile], { stdio: 'ignore' });
  let local = 0;
  let remote = 0;
  try {
    for (const name of SCENARIOS) {
      const scenario = loadScenario(`scenarios/${name}.yaml`);
      local += await timed(async () => void (await runScenario(scenario, { seed: 1, engine: referenceEngine })));
      restart();
      remote += await timed(async () => void (await runScenario(scenario, { seed: 1, engine: referenceEngine, server: { url: `http://127.0.0.1:${port}`, tokens: { demo: 'demo-token' } } })));
    }
  } finally {
    try {
      const pid = Number(readFileSync(pidFile, 'utf8'));
      if (Number.isInteger(pid) && pid > 0) process.kill(pid, 'SIGKILL');
    } catch {
      // not started, or gone
    }
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    'server.url_run_ratio': { value: Math.round((remote / local) * 100) / 100, unit: `× wall time of ${SCENARIOS.length} library runs against serve over HTTP vs the in-process model` },
    'server.url_run_ms': { value: Math.round(remote), unit: 'ms for those runs against serve' },
    'server.model_run_ms': { value: Math.round(local), unit: 'ms for those runs against the model' },
  };
}
