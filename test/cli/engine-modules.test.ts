/**
 * A new user's engine module, outside the repository, through `syncsim` as a user calls it
 * (bin/syncsim.js): `run --engine`, a scenario's `engine:` relative to its file, a package
 * folder, `fuzz --jobs 2` with shrinking, and the shrunk scenario.yaml reproducing the run
 * byte for byte with `syncsim run` alone. A broken module is exit 2 and one line.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { CampaignSummary } from '../../src/fuzz/summary.ts';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const fixture = join(repo, 'test/fixtures/engines/tiny-engine.ts');
const user = mkdtempSync(join(tmpdir(), 'syncsim-user-'));
afterAll(() => rmSync(user, { recursive: true, force: true }));

copyFileSync(fixture, join(user, 'engine.ts'));
mkdirSync(join(user, 'tiny-package/src'), { recursive: true });
copyFileSync(fixture, join(user, 'tiny-package/src/engine.ts'));
writeFileSync(join(user, 'tiny-package/package.json'), JSON.stringify({ name: 'tiny-engine', type: 'module', exports: { '.': './src/engine.ts' } }));
const scenario = readFileSync(join(repo, 'scenarios/partition-heal.yaml'), 'utf8');
mkdirSync(join(user, 'scenarios'), { recursive: true });
writeFileSync(join(user, 'scenarios/with-file.yaml'), `${scenario.replace(/^name: .*$/m, 'name: with-file')}\nengine: ../engine.ts\n`);
writeFileSync(join(user, 'scenarios/with-package.yaml'), `${scenario.replace(/^name: .*$/m, 'name: with-package')}\nengine: ../tiny-package\n`);
writeFileSync(join(user, 'scenarios/engine.ts'), readFileSync(fixture, 'utf8').replace("name: 'tiny'", "name: 'tiny-beside'"));
writeFileSync(join(user, 'scenarios/beside.yaml'), `${scenario.replace(/^name: .*$/m, 'name: beside')}\nengine: ./engine.ts\n`);

function syncsim(cwd: string, ...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [join(repo, 'bin/syncsim.js'), ...args], { cwd, encoding: 'utf8', timeout: 180_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function runStart(traceFile: string): Record<string, unknown> {
  return JSON.parse(readFileSync(traceFile, 'utf8').split('\n', 1)[0]!) as Record<string, unknown>;
}

describe('an engine module outside the repository', () => {
  it('runs with --engine relative to the working directory, and as a scenario\'s engine: relative to the file (a file or a package folder)', () => {
    const flag = syncsim(user, 'run', join(repo, 'scenarios/partition-heal.yaml'), '--engine', './engine.ts', '--out', 'out');
    expect(flag.stderr).toBe('');
    expect(flag.code).toBe(0);
    expect(flag.stdout).toMatch(/partition-heal .*tiny .*PASS/);
    expect(runStart(join(user, 'out/partition-heal-tiny-1/trace.jsonl')).engine).toBe('tiny');
    // From another folder: each file's engine is found beside the file, not in the working directory.
    const files = ['with-file', 'with-package', 'beside'].map((n) => join(user, `scenarios/${n}.yaml`));
    const own = syncsim(repo, 'run', ...files, '--out', join(user, 'own'));
    expect(own.stderr).toBe('');
    expect(own.code).toBe(0);
    expect(runStart(join(user, 'own/with-file-tiny-1/trace.jsonl')).engine).toBe('tiny');
    expect(runStart(join(user, 'own/with-package-tiny-1/trace.jsonl')).engine).toBe('tiny');
    expect(runStart(join(user, 'own/beside-tiny-beside-1/trace.jsonl')).engine).toBe('tiny-beside');
  });

  it('fuzzes with 2 worker threads; a shrunk failure reproduces byte for byte with syncsim run on its scenario.yaml alone', () => {
    // The tiny engine stamps with raw device clocks: skewed clocks break it within a few seeds.
    const fuzz = syncsim(user, 'fuzz', '--engine', './engine.ts', '--profile', 'skewed', '--seeds', '4', '--jobs', '2', '--out', join(user, 'fz'));
    expect(fuzz.code).toBe(1);
    expect(fuzz.stdout).toMatch(/fuzz skewed with tiny: 4 seeds/);
    const summary = JSON.parse(readFileSync(join(user, 'fz/summary.json'), 'utf8')) as CampaignSummary;
    expect(summary.engine).toBe('tiny');
    expect(summary.engineModule).toBe(join(user, 'engine.ts'));
    const failed = summary.results.filter((r) => !r.ok);
    expect(failed.length).toBeGreaterThan(0);
    for (const r of failed) {
      const f = r.failure!;
      expect(f.reproducible, f.problem).toBe(true);
      expect(f.shrunk).toBe(true);
      expect(f.steps).toBeLessThan(r.steps);
      expect(readFileSync(f.scenarioFile, 'utf8')).toContain('engine: "../../../engine.ts"');
    }
    const first = failed[0]!.failure!;
    const rerun = syncsim(tmpdir(), 'run', first.scenarioFile, '--out', join(user, 'rerun'));
    expect(rerun.code).toBe(1);
    const [dir] = readdirSync(join(user, 'rerun'));
    expect(readFileSync(join(user, 'rerun', dir!, 'trace.jsonl'), 'utf8')).toBe(readFileSync(first.traceFile!, 'utf8'));
  });

  it('a module that cannot be used is exit 2 and one line, no stack trace', () => {
    writeFileSync(join(user, 'syntax.ts'), 'export default { name: "x", create( };\n');
    writeFileSync(join(user, 'shape.mjs'), "export default { name: 'x' };\n");
    writeFileSync(join(user, 'scenarios/missing.yaml'), `${scenario}\nengine: ./nowhere.ts\n`);
    const cases: Array<[string[], RegExp]> = [
      [['run', join(repo, 'scenarios/partition-heal.yaml'), '--engine', './missing.ts', '--out', 'bad'], /^syncsim run: engine module "\.\/missing\.ts": no such file/],
      [['fuzz', '--engine', './syntax.ts', '--seeds', '1', '--out', 'bad'], /^syncsim fuzz: engine module "\.\/syntax\.ts": cannot load .*syntax\.ts:1:\d+: ERROR/],
      [['fuzz', '--engine', './shape.mjs', '--seeds', '1', '--jobs', '2', '--out', 'bad'], /^syncsim fuzz: engine module "\.\/shape\.mjs": its default export has no create\(ports\)/],
      [['run', join(user, 'scenarios/missing.yaml'), '--out', 'bad'], /missing\.yaml: engine module "\.\/nowhere\.ts": no such file/],
    ];
    for (const [args, message] of cases) {
      const { code, stderr } = syncsim(user, ...args);
      expect(code, args.join(' ')).toBe(2);
      expect(stderr.trimEnd().split('\n'), stderr).toHaveLength(1);
      expect(stderr).toMatch(message);
    }
  });
});
