/**
 * Engine modules (SPEC §3.1): a user's engine outside the repository, named by a path,
 * loaded (TypeScript included) and checked to be a descriptor; every way it can be wrong
 * is one line of EngineLoadError.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { defineEngine } from '../../src/engines/define.ts';
import { engineSpecFrom, isEngineSpec, isModulePath } from '../../src/engines/engine-spec.ts';
import { referenceEngine } from '../../src/engines/reference/index.ts';
import { EngineLoadError, resolveEngine } from '../../src/engines/resolve.ts';
import { runSeed, shrinkFailure, writeFailure } from '../../src/fuzz/index.ts';

const fixture = fileURLToPath(new URL('../fixtures/engines/tiny-engine.ts', import.meta.url));
const user = mkdtempSync(join(tmpdir(), 'syncsim-user-engine-'));
afterAll(() => rmSync(user, { recursive: true, force: true }));
copyFileSync(fixture, join(user, 'engine.ts'));

function file(name: string, text: string): string {
  const path = join(user, name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  return path;
}

/** The EngineLoadError's message for `spec`, asserting it is one line. */
async function refusal(spec: string): Promise<string> {
  const error = await resolveEngine(spec, user).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EngineLoadError);
  const message = (error as Error).message;
  expect(message).not.toContain('\n');
  return message;
}

describe('engine names', () => {
  it('tells module paths from built-in names', () => {
    for (const path of ['./engine.ts', 'engine.js', 'e.mjs', 'e.mts', '../x', '/abs/pkg', 'pkg/']) expect(isModulePath(path), path).toBe(true);
    for (const name of ['reference', 'naive', 'mutant:memory-queue', 'fancy']) expect(isModulePath(name), name).toBe(false);
    expect(isEngineSpec('fancy')).toBe(false);
    expect(isEngineSpec(' ./engine.ts')).toBe(false);
    expect(isEngineSpec('./engine.ts')).toBe(true);
  });

  it('writes a module path relative to a folder, always spelled as a path', () => {
    expect(engineSpecFrom('/a/out/failures/3', '/a/engine.ts')).toBe('../../../engine.ts');
    expect(engineSpecFrom('/a', '/a/engine.ts')).toBe('./engine.ts');
    expect(engineSpecFrom('/a', '/a/pkg')).toBe('./pkg');
    expect(engineSpecFrom('/a', 'mutant:memory-queue')).toBe('mutant:memory-queue');
  });

  it('defineEngine returns the descriptor as it is', () => {
    const descriptor = { name: 'mine', create: referenceEngine.create };
    expect(defineEngine(descriptor)).toBe(descriptor);
  });
});

describe('resolveEngine', () => {
  it('finds built-in engines by name and refuses unknown names', async () => {
    expect((await resolveEngine('reference', user)).descriptor).toBe(referenceEngine);
    expect(await refusal('fancy')).toMatch(/unknown engine "fancy"/);
  });

  it('loads a .ts module relative to the base folder, once per absolute path', async () => {
    const first = await resolveEngine('./engine.ts', user);
    expect(first.descriptor.name).toBe('tiny');
    expect(first.descriptor.summary).toBe('a user engine outside the repository');
    expect(first.spec).toBe(join(user, 'engine.ts'));
    const again = await resolveEngine(join(user, 'engine.ts'), '/');
    expect(again.descriptor).toBe(first.descriptor);
  });

  it('loads a package folder by the entry its package.json names: exports ".", module or main', async () => {
    copyFileSync(fixture, file('pkg-exports/src/engine.ts', ''));
    file('pkg-exports/package.json', JSON.stringify({ name: 'tiny', type: 'module', exports: { '.': { types: './x.d.ts', import: './src/engine.ts' } } }));
    file('pkg-main/package.json', JSON.stringify({ name: 'tiny', main: 'index.mjs' }));
    file('pkg-main/index.mjs', "export default { name: 'from-main', create() { return {}; } };\n");
    file('pkg-module/package.json', JSON.stringify({ module: './m.js', type: 'module' }));
    file('pkg-module/m.js', "export default { name: 'from-module', summary: 's', create() { return {}; } };\n");
    const exported = await resolveEngine('./pkg-exports', user);
    expect(exported.descriptor.name).toBe('tiny');
    expect(exported.module).toBe(join(user, 'pkg-exports/src/engine.ts'));
    expect((await resolveEngine('pkg-main/', user)).descriptor.name).toBe('from-main');
    expect((await resolveEngine('./pkg-module', user)).descriptor.name).toBe('from-module');
    file('pkg-none/package.json', '{"name":"x"}');
    expect(await refusal('./pkg-none')).toMatch(/names no entry/);
    mkdirSync(join(user, 'bare'), { recursive: true });
    expect(await refusal('./bare')).toMatch(/has no package.json/);
  });

  it('refuses, in one line, a missing file, a syntax error, no default export and a wrong shape', async () => {
    expect(await refusal('./missing.ts')).toMatch(/^engine module "\.\/missing\.ts": no such file or folder/);
    file('syntax.ts', 'export default { name: "x", create( };\n');
    expect(await refusal('./syntax.ts')).toMatch(/cannot load .*syntax\.ts: .*syntax\.ts:1:\d+: ERROR/);
    file('named.mjs', "export const engine = { name: 'x', create() {} };\n");
    expect(await refusal('./named.mjs')).toMatch(/it has no default export; expected export default \{ name/);
    file('no-create.mjs', "export default { name: 'x' };\n");
    expect(await refusal('./no-create.mjs')).toMatch(/no create\(ports\) function/);
    file('no-name.ts', 'export default { create() { return {}; } };\n');
    expect(await refusal('./no-name.ts')).toMatch(/no name/);
    file('number.mjs', 'export default 42;\n');
    expect(await refusal('./number.mjs')).toMatch(/its default export is a number/);
    file('throws.mjs', "throw new Error('boom at load');\n");
    expect(await refusal('./throws.mjs')).toMatch(/cannot load .*: boom at load/);
  });
});

describe('a module engine in a campaign', () => {
  it('is shrunk, and its reproduction file names the module relative to the failure folder', async () => {
    const { descriptor, spec } = await resolveEngine('./engine.ts', user);
    // The tiny engine stamps with raw device clocks, so skewed clocks break convergence.
    const run = await runSeed(2, 'skewed', descriptor, spec);
    expect(run.ok).toBe(false);
    expect(run.scenario.engine).toBe(spec);
    const shrunk = await shrinkFailure(run, { engine: descriptor, maxRuns: 60 });
    expect(shrunk.steps).toBeLessThan(shrunk.originalSteps);
    expect(shrunk.run.violations).toEqual(run.violations);
    const written = await writeFailure(join(user, 'out'), shrunk.run);
    expect(written.reproducible, written.problem).toBe(true);
    expect(readFileSync(written.scenarioFile, 'utf8')).toContain('engine: "../../../engine.ts"');
  });
});
