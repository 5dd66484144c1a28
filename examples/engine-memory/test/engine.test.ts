/**
 * An outside team's test suite: syncsim runs the library's scenarios against this engine.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkTrace, runScenario } from 'syncsim';
import memory from '../src/engine.ts';

// The scenario library ships in the package (its `files`).
const scenarios = join(dirname(createRequire(import.meta.url).resolve('syncsim/package.json')), 'scenarios');

describe('the memory engine', () => {
  it('converges after a partition heals', async () => {
    const run = await runScenario(join(scenarios, 'partition-heal.yaml'), { engine: memory, seed: 1 });
    expect(run.violations).toEqual([]);
    expect(run.ok).toBe(true);
    expect(checkTrace(run.events).ok).toBe(true);
  });

  it('loses a write that a crash catches before it synced: durability says so', async () => {
    const run = await runScenario(join(scenarios, 'crash-after-local-write.yaml'), { engine: memory, seed: 1 });
    expect(run.ok).toBe(false);
    expect(run.violations).toContain('durability');
  });
});
