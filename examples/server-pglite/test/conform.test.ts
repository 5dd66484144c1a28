import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_DIR, startBackend, TOKENS, type Backend } from './support/backend.ts';

const run = promisify(execFile);
/** The backend's header timeout, short so the suite's slow-request rule can judge it quickly. */
const HEADER_TIMEOUT_MS = 2000;
const CLI = join(PACKAGE_DIR, 'node_modules', 'syncsim', 'bin', 'syncsim.js');

// `syncsim conform --server URL --token A --token B` (SPEC §7, issue 15 point 1). An older
// syncsim without it (no --server in `conform --help`) skips this test instead of failing
// on a usage error.
const help = spawnSync(process.execPath, [CLI, 'conform', '--help'], { encoding: 'utf8', timeout: 60_000 });
const hasServerSuite = `${help.stdout}${help.stderr}`.includes('--server');

describe.skipIf(!hasServerSuite)('syncsim conform --server against server-pglite (skipped only when this syncsim has no conform --server)', () => {
  let backend: Backend;
  const out = mkdtempSync(join(tmpdir(), 'server-pglite-conform-'));
  beforeAll(async () => {
    backend = await startBackend(['--header-timeout', String(HEADER_TIMEOUT_MS)]);
  });
  afterAll(async () => {
    await backend?.stop();
    rmSync(out, { recursive: true, force: true });
  });

  it('every rule of SPEC §4 holds (exit 0)', async () => {
    const args = [CLI, 'conform', '--server', backend.url, '--token', TOKENS.demo, '--token', TOKENS.other, '--slow-request', String(HEADER_TIMEOUT_MS), '--out', out];
    const result = await run(process.execPath, args, { timeout: 600_000, maxBuffer: 16 * 1024 * 1024 }).then(
      (done) => ({ code: 0, output: done.stdout + done.stderr }),
      (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, output: error.stdout + error.stderr }),
    );
    expect(result.code, result.output.slice(-4000)).toBe(0);
  });
});
