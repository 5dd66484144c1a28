/**
 * The library API (SPEC §9) as a team's test suite calls it: runScenario from a path, YAML
 * text or an object with an engine given as an object, a name or a module path; fuzz with
 * an object engine, failures carrying YAML that fails again; checkTrace on the written trace.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findEngine } from '../../src/engines/registry.ts';
import { checkTrace, defineEngine, EngineLoadError, fuzz, loadScenario, readTrace, runScenario } from '../../src/index.ts';

const root = mkdtempSync(join(tmpdir(), 'syncsim-api-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const reference = findEngine('reference')!;
const naive = findEngine('naive')!;
const asObject = defineEngine({ name: 'my-reference', create: (ports) => reference.create(ports) });

describe('runScenario', () => {
  it('runs a file with an engine object, and its trace judges the same with checkTrace', async () => {
    const run = await runScenario('scenarios/partition-heal.yaml', { engine: asObject, seed: 3 });
    expect(run.ok).toBe(true);
    expect(run.violations).toEqual([]);
    expect(run.engine).toBe('my-reference');
    expect(run.checks.length).toBeGreaterThan(0);
    const file = join(root, 'nested', 'trace.jsonl');
    await run.writeTrace(file);
    const text = readFileSync(file, 'utf8');
    expect(readTrace(text)).toHaveLength(run.events.length);
    expect(checkTrace(text).ok).toBe(true);
    expect(checkTrace(run.events).violations).toEqual([]);
  });

  it('takes YAML text and a Scenario object, and a built-in name', async () => {
    const text = readFileSync('scenarios/naive-delete-resurrects.yaml', 'utf8');
    const fromText = await runScenario(text, { engine: 'naive' });
    const fromObject = await runScenario(loadScenario('scenarios/naive-delete-resurrects.yaml'), { engine: 'naive' });
    expect(fromText.traceText()).toBe(fromObject.traceText());
    // A demonstration: it fails exactly as expect.violations says.
    expect(fromText.ok).toBe(true);
    expect(fromText.violations.length).toBeGreaterThan(0);
  });

  it('an engine that cannot be used is an EngineLoadError', async () => {
    await expect(runScenario('scenarios/partition-heal.yaml', { engine: 'nope' })).rejects.toBeInstanceOf(EngineLoadError);
    await expect(runScenario('scenarios/partition-heal.yaml', { engine: './missing.ts' })).rejects.toThrow(/no such file/);
  });
});

describe('fuzz', () => {
  it('an engine object runs in this thread; each failure carries its shrunk YAML, which fails again', async () => {
    const engine = defineEngine({ name: 'my-naive', create: (ports) => naive.create(ports) });
    const campaign = await fuzz({ engine, profile: 'calm', seeds: 2, start: 3, maxShrinkRuns: 10, out: join(root, 'fuzz') });
    expect(campaign.ok).toBe(false);
    const failure = campaign.failures[0]!;
    expect(failure.reproducible).toBe(true);
    expect(failure.scenarioYaml).toContain('steps:');
    expect(failure.scenarioYaml).not.toMatch(/^engine:/m);
    const again = await runScenario(failure.scenarioYaml, { engine });
    expect([...again.violations].sort()).toEqual([...failure.violations].sort());
  });

  it('an engine object with jobs > 1 runs in this thread (SPEC §9\'s example); a name runs on workers', async () => {
    const inThread = await fuzz({ engine: asObject, profile: 'calm', jobs: 2, seeds: 2 });
    expect(inThread.jobs).toBe(1);
    expect(inThread.passed + inThread.failures.length).toBe(2);
    const campaign = await fuzz({ engine: 'reference', profile: 'calm', seeds: 2, jobs: 2 });
    expect(campaign.jobs).toBe(2);
    expect(campaign.ok).toBe(true);
    expect(campaign.passed).toBe(2);
  });
});
