/**
 * `syncsim check` gives the verdict and exit code `syncsim run` gave (SPEC §5, §7): a naive
 * demonstration passes as expected, a run that never settles fails on quiescence though
 * every checker passes, `--json` prints the whole verdict, `--objective` still overrides.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunVerdict } from '../../src/check/index.ts';
import type { ClientEngine, EngineDescriptor } from '../../src/engines/engine.ts';
import { findEngine } from '../../src/engines/registry.ts';
import { loadScenario } from '../../src/scenario/index.ts';
import { runScenario, type RunOutcome } from '../../src/world/run-scenario.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'syncsim-check-'));

function syncsim(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [join(root, 'bin/syncsim.js'), ...args], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The reference engine, except that its queue always shows one operation: the final phase never settles. */
const neverSettles: EngineDescriptor = {
  name: 'never-settles',
  summary: 'reference with a queue that never drains',
  create(ports) {
    const inner = findEngine('reference')!.create(ports);
    const engine: ClientEngine = {
      ready: inner.ready,
      create: (value, label) => inner.create(value, label),
      update: (id, change, label) => inner.update(id, change, label),
      delete: (id, label) => inner.delete(id, label),
      sync: () => inner.sync(),
      tasks: () => inner.tasks(),
      queue: () => Promise.resolve([{ kind: 'create', task: 'ghost', write: null, attempts: 1 }]),
    };
    return engine;
  },
};

describe('syncsim check judges as syncsim run did', () => {
  let unsettled: RunOutcome;
  const unsettledTrace = join(work, 'unsettled.jsonl');

  beforeAll(async () => {
    unsettled = await runScenario(loadScenario('scenarios/offline-create-then-sync.yaml'), { seed: 1, engine: neverSettles });
    writeFileSync(unsettledTrace, unsettled.world.trace.toJSONL());
  });

  it('a run that never settles fails on quiescence alone, under run and under check', () => {
    expect(unsettled.settled).toBe(false);
    expect(unsettled.checks.filter((c) => !c.ok)).toEqual([]);
    expect(unsettled.ok).toBe(false);
    expect(unsettled.expectationFailures).toEqual([{ what: 'quiescence', message: 'the world did not settle within 5 min after the final heal' }]);
    const { code, stdout } = syncsim('check', unsettledTrace, '--wide');
    expect(code).toBe(1);
    expect(stdout).toMatch(/quiescence +FAIL \(1\) +the world did not settle within 5 min after the final heal \(seq \d+\)/);
    expect(stdout).toMatch(/verdict: FAIL\n {2}- quiescence: the world did not settle/);
  });

  it('--json prints the whole verdict, the run\'s own', () => {
    const { code, stdout } = syncsim('check', unsettledTrace, '--json');
    expect(code).toBe(1);
    expect(JSON.parse(stdout) as RunVerdict).toEqual(JSON.parse(JSON.stringify(unsettled.verdict)));
  });

  it('a naive demonstration that fails exactly as expect.violations says exits 0, as under run', () => {
    const out = join(work, 'naive');
    expect(syncsim('run', 'scenarios/naive-delete-resurrects.yaml', '--out', out).code).toBe(0);
    const { code, stdout } = syncsim('check', join(out, 'naive-delete-resurrects-naive-1', 'trace.jsonl'));
    expect(code).toBe(0);
    expect(stdout).toMatch(/no-resurrection +FAIL \(\d+, expected\)/);
    expect(stdout).toMatch(/verdict: PASS \(expected fail\)/);
    // An explicit objective still overrides run.start's: every write is now too slow.
    const strict = syncsim('check', join(out, 'naive-delete-resurrects-naive-1', 'trace.jsonl'), '--objective', '1', '--json');
    expect(strict.code).toBe(0); // sync-latency was expected to fail anyway
    expect((JSON.parse(strict.stdout) as RunVerdict).objectiveMs).toBe(1);
  });

  it('exits 2 on a trace without run.start', () => {
    const file = join(work, 'no-start.jsonl');
    writeFileSync(file, '{"seq":0,"t":0,"type":"snapshot","node":"server","tasks":[],"queue":[]}\n');
    const { code, stderr } = syncsim('check', file);
    expect(code).toBe(2);
    expect(stderr).toMatch(/no-start\.jsonl:1: the trace has no run\.start/);
  });
});
