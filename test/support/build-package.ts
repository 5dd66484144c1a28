/**
 * vitest globalSetup: compiles src/ into dist/ once before the tests (incremental, so a
 * second run with no change costs about a second). The CLI tests run bin/syncsim.js, which
 * runs dist/ when it exists: without this they would test a stale build. The viewer is
 * built by the tests that serve it (ensureViewerBuilt), and the consumer test packs its own.
 */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export default function buildPackage(): void {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit', timeout: 300_000 });
}
