/**
 * The built package (dist/, which the globalSetup compiles): every `exports` entry and the
 * `types` exist, the main entry gives the library of SPEC §9 without msw installed as a peer,
 * and bin/syncsim.js runs the built CLI.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  private?: boolean; types: string; exports: Record<string, string | { types: string; default: string }>; dependencies: Record<string, string>;
};

describe('the package', () => {
  it('is publishable: no private flag; every export and its types are built', () => {
    expect(pkg.private).toBeUndefined();
    expect(existsSync(join(root, pkg.types))).toBe(true);
    for (const target of Object.values(pkg.exports)) {
      for (const file of typeof target === 'string' ? [target] : [target.types, target.default]) expect(existsSync(join(root, file)), file).toBe(true);
    }
  });

  it('keeps what runs at run time in dependencies (tsx loads users\' .ts engines)', () => {
    expect(Object.keys(pkg.dependencies)).toEqual(expect.arrayContaining(['tsx', 'yaml', 'seedrandom', 'fake-indexeddb', 'fast-check', 'cli-table3']));
  });

  it('dist/index.js gives the library', async () => {
    const entry = pkg.exports['.'] as { default: string };
    const api = (await import(pathToFileURL(join(root, entry.default)).href)) as Record<string, unknown>;
    for (const name of ['defineEngine', 'loadScenario', 'runScenario', 'fuzz', 'checkTrace', 'readTrace']) expect(typeof api[name], name).toBe('function');
  });

  it('bin/syncsim.js runs the built CLI in one process', () => {
    const result = spawnSync(process.execPath, [join(root, 'bin/syncsim.js'), '--help'], { encoding: 'utf8', timeout: 60_000 });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('usage: syncsim <command>');
    expect(readFileSync(join(root, 'bin/syncsim.js'), 'utf8')).toContain('../dist/cli/main.js');
  });
});
