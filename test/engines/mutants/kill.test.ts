import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isCheckerName, type CheckerName } from '../../../src/check/index.ts';
import { mutantEngines } from '../../../src/engines/mutants/index.ts';
import { engines, findEngine } from '../../../src/engines/registry.ts';
import { referenceEngine } from '../../../src/engines/reference/index.ts';
import { parseScenario } from '../../../src/scenario/index.ts';
import { runScenario } from '../../../src/world/run-scenario.ts';

/** A scenario from the library, unchanged. */
const library = (name: string) => readFileSync(new URL(`../../../scenarios/${name}.yaml`, import.meta.url), 'utf8');

/** For each mutant: a short scenario that `reference` passes and the mutant fails with `checker`. */
const kills: Record<string, { checker: CheckerName; yaml: string }> = {
  'key-per-attempt': {
    checker: 'no-duplicates',
    yaml: `
name: kill-key-per-attempt
description: The reply to the batch carrying a create is lost; the retry must not create the task twice.
duration: 30s
devices: [{ id: phone }, { id: ipad }]
steps:
  - { at: 0s, drop: { from: server, to: phone, match: "POST /v1/sync/batch", count: 1 } }
  - { at: 1s, device: phone, create: { task: a, title: "Buy milk" } }
`,
  },
  'wall-clock-stamps': { checker: 'causal', yaml: library('clock-skew') },
  'clock-not-persisted': {
    checker: 'causal',
    yaml: `
name: kill-clock-not-persisted
description: The iPad runs 90 s slow, sees the phone edit, restarts, then edits; its edit must still win.
duration: 30s
devices: [{ id: phone }, { id: ipad, skew: -90s }]
steps:
  - { at: 1s, device: phone, create: { task: t, title: "Draft" } }
  - { at: 5s, device: ipad, sync: true }
  - { at: 8s, crash: ipad }
  - { at: 9s, restart: ipad }
  - { at: 12s, device: ipad, update: { task: t, title: "Draft (ipad, after restart)" } }
`,
  },
  'last-arrival-wins': {
    checker: 'lww',
    yaml: `
name: kill-last-arrival-wins
description: Both devices edit offline, the iPad later; the phone syncs first. The iPad's later edit must win.
duration: 40s
devices: [{ id: phone }, { id: ipad }]
steps:
  - { at: 1s, device: phone, create: { task: r, title: "Write report" } }
  - { at: 8s, device: phone, offline: true }
  - { at: 8s, device: ipad, offline: true }
  - { at: 10s, device: phone, update: { task: r, title: "Write report (phone)" } }
  - { at: 12s, device: ipad, update: { task: r, title: "Write report (ipad, later)" } }
  - { at: 20s, device: phone, online: true }
  - { at: 30s, device: ipad, online: true }
`,
  },
  'cursor-by-timestamp': {
    checker: 'convergence',
    yaml: `
name: kill-cursor-by-timestamp
description: A device offline while 1,100 tasks are created pages through them all when it comes back.
duration: 40s
devices: [{ id: phone }, { id: ipad }]
steps:
  - { at: 500ms, device: ipad, offline: true }
  - { at: 1s, device: phone, createMany: { task: item, count: 1100, title: "Item" } }
  - { at: 30s, device: ipad, online: true }
`,
  },
  'tombstone-ignored': {
    checker: 'convergence',
    yaml: `
name: kill-tombstone-ignored
description: A task deleted on the phone disappears from the iPad too.
duration: 30s
devices: [{ id: phone }, { id: ipad }]
steps:
  - { at: 1s, device: phone, create: { task: a, title: "Old idea" } }
  - { at: 5s, device: ipad, sync: true }
  - { at: 10s, device: phone, delete: { task: a } }
`,
  },
  'memory-queue': { checker: 'durability', yaml: library('crash-after-local-write') },
  'split-transactions': { checker: 'durability', yaml: library('crash-after-local-write') },
  'write-failure-ignored': { checker: 'durability', yaml: library('database-write-failure') },
  'timeout-drops-op': {
    checker: 'durability',
    yaml: `
name: kill-timeout-drops-op
description: The request carrying a create is lost; the create is retried, not forgotten.
duration: 40s
devices: [{ id: phone }, { id: ipad }]
steps:
  - { at: 0s, drop: { from: phone, to: server, match: "POST /v1/sync/batch", count: 1 } }
  - { at: 1s, device: phone, create: { task: a, title: "Buy milk" } }
expect:
  syncLatency: { max: 30s } # the lost request costs the 10 s request timeout
`,
  },
  'no-retry-after-503': { checker: 'sync-latency', yaml: library('server-maintenance') },
  'no-periodic-pull': {
    checker: 'sync-latency',
    yaml: `
name: kill-no-periodic-pull
description: A change on the phone reaches the idle iPad within the sync-latency objective.
duration: 30s
devices: [{ id: phone }, { id: ipad }]
steps:
  - { at: 1s, device: phone, create: { task: a, title: "Buy milk" } }
`,
  },
  'coalesce-drops-field': { checker: 'convergence', yaml: library('offline-create-then-sync') },
  'pull-without-lww': {
    checker: 'lww',
    yaml: `
name: kill-pull-without-lww
description: The phone edits offline after the iPad did; pulling the older iPad edit must not overwrite it.
duration: 40s
devices: [{ id: phone }, { id: ipad }]
steps:
  - { at: 1s, device: phone, create: { task: r, title: "Write report" } }
  - { at: 8s, device: phone, offline: true }
  - { at: 10s, device: ipad, update: { task: r, title: "Write report (ipad)" } }
  - { at: 12s, device: phone, update: { task: r, title: "Write report (phone, later)" } }
  - { at: 25s, device: phone, online: true }
`,
  },
  'delete-not-final': {
    checker: 'no-resurrection',
    yaml: `
name: kill-delete-not-final
description: The phone deletes offline; a later edit on the iPad must not bring the task back on the phone.
duration: 40s
devices: [{ id: phone }, { id: ipad }]
steps:
  - { at: 1s, device: phone, create: { task: t, title: "Old idea" } }
  - { at: 4s, device: ipad, sync: true }
  - { at: 8s, device: phone, offline: true }
  - { at: 10s, device: phone, delete: { task: t } }
  - { at: 12s, device: ipad, update: { task: t, title: "Old idea, revised" } }
  - { at: 25s, device: phone, online: true }
`,
  },
  'save-skips-refresh': {
    checker: 'read-your-writes',
    yaml: `
name: kill-save-skips-refresh
description: The phone's list shows its own new task, and then its edit, as soon as each returns.
duration: 20s
devices: [{ id: phone }]
steps:
  - { at: 1s, device: phone, create: { task: a, title: "Buy milk" } }
  - { at: 10s, device: phone, update: { task: a, title: "Buy oat milk" } }
`,
  },
  'stale-read-replica': {
    checker: 'monotonic-reads',
    yaml: `
name: kill-stale-read-replica
description: Once the iPad's list shows the phone's task, it keeps showing it.
duration: 30s
devices: [{ id: phone }, { id: ipad }]
steps:
  - { at: 1s, device: ipad, create: { task: b, title: "Call mum" } }
  - { at: 2s, device: phone, create: { task: a, title: "Buy milk" } }
  - { at: 10s, device: ipad, read: true }
  - { at: 11s, device: ipad, read: true }
  - { at: 12s, device: ipad, read: true }
`,
  },
};

const SEED = 1;

/** Mutants whose guarantee (the start of `breaks`) has a checker: every one of them. */
const judgedMutants = mutantEngines.filter((m) => isCheckerName(m.breaks?.split(':')[0] ?? ''));

describe('the mutant catalogue', () => {
  it('has at least 10 mutants, each named, described and with the guarantee it breaks', () => {
    expect(mutantEngines.length).toBeGreaterThanOrEqual(10);
    for (const mutant of mutantEngines) {
      expect(mutant.name).toMatch(/^mutant:[a-z0-9-]+$/);
      expect(mutant.summary.length).toBeGreaterThan(0);
      expect(mutant.breaks?.length ?? 0).toBeGreaterThan(0);
      expect(findEngine(mutant.name)).toBe(mutant);
      expect(engines).toContain(mutant);
    }
    expect(new Set(mutantEngines.map((m) => m.name)).size).toBe(mutantEngines.length);
  });

  it('has a killing scenario for every mutant, each named by a checker', () => {
    expect(judgedMutants).toEqual(mutantEngines);
    expect(Object.keys(kills).sort()).toEqual(judgedMutants.map((m) => m.name.slice('mutant:'.length)).sort());
  });
});

describe.each(Object.entries(kills))('mutant:%s', (name, { checker, yaml }) => {
  const scenario = () => parseScenario(yaml, `${name}.yaml`);

  it(`is killed by ${checker}`, async () => {
    const engine = findEngine(`mutant:${name}`)!;
    const outcome = await runScenario(scenario(), { seed: SEED, engine });
    expect(outcome.violations).toContain(checker);
  });

  it('while reference passes the same scenario', async () => {
    const outcome = await runScenario(scenario(), { seed: SEED, engine: referenceEngine });
    expect(outcome.violations).toEqual([]);
  });
});
