/**
 * Where the built viewer is (`dist/viewer`, shipped in the package) and, in a checkout, how
 * to rebuild it with Vite when it is missing or older than its sources: the development
 * fallback. An installed package has no viewer sources, so it serves what it shipped.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The package root, from src/viewer-server/ and from dist/viewer-server/ alike.
const packageRoot = fileURLToPath(new URL('../..', import.meta.url));
export const viewerDir = join(packageRoot, 'viewer');
export const viewerDist = join(packageRoot, 'dist', 'viewer');

/** The sources the built viewer depends on: a change to any of them makes `dist/viewer` stale. */
const sources = [join(viewerDir, 'index.html'), join(viewerDir, 'vite.config.ts'), join(viewerDir, 'src'), join(packageRoot, 'src', 'trace'), join(packageRoot, 'src', 'check')];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** True when the built viewer is missing, or (in a checkout, where the sources are) older than them. */
export function viewerIsStale(): boolean {
  const built = join(viewerDist, 'index.html');
  if (!existsSync(built)) return true;
  if (!existsSync(join(viewerDir, 'vite.config.ts'))) return false;
  const builtAt = statSync(built).mtimeMs;
  return sources.some((s) => newestMtime(s) > builtAt);
}

/**
 * Builds the viewer with Vite's JS API when `dist/viewer` is missing or older than its sources.
 * Always a production build: Vite takes NODE_ENV from the caller, and under vitest
 * (NODE_ENV=test) it would bundle React's development build, whose StrictMode runs every
 * effect twice (two loads of one trace racing) and renders about twice as slowly.
 */
export async function ensureViewerBuilt(log: (line: string) => void = () => undefined): Promise<void> {
  if (!viewerIsStale()) return;
  if (!existsSync(join(viewerDir, 'vite.config.ts'))) throw new Error(`the viewer is not built (${viewerDist} is missing) and its sources are not here to build it`);
  log('building the viewer (dist/viewer is missing or stale)…');
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
