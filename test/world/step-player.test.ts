import { describe, expect, it } from 'vitest';
import { referenceEngine } from '../../src/engines/reference/index.ts';
import { parseScenario } from '../../src/scenario/index.ts';
import type { AnyTraceEvent } from '../../src/trace/index.ts';
import { runScenario } from '../../src/world/run-scenario.ts';

const run = (yaml: string) => {
  const scenario = parseScenario(yaml, 'inline.yaml');
  return runScenario(scenario, { seed: 1, engine: referenceEngine });
};

const describeEvent = (e: AnyTraceEvent) => {
  const f = e as unknown as { kind?: string; detail?: { device?: string; state?: string }; device?: string; write?: string };
  return e.type === 'fault' ? `${f.kind} ${f.detail?.device ?? ''} ${f.detail?.state ?? ''}`.trim() : `${e.type} ${f.device ?? ''}`.trim();
};

describe('the step player: a user acts in the app in the foreground', () => {
  it('brings a suspended app to the foreground before a write, and the write is pushed at once', async () => {
    const outcome = await run(`
name: write-while-suspended
description: the user writes in an app that is in the background
duration: 20s
devices: [{ id: phone }, { id: ipad }]
steps:
  - { at: 1s, device: phone, app: background }
  - { at: 5s, device: phone, create: { task: a, title: "A" } }
`);
    expect(outcome.ok).toBe(true);
    const events = outcome.world.trace.events;
    const around = events.filter((e) => e.t === 5_000 && (e.type === 'fault' || e.type === 'op')).map(describeEvent);
    expect(around).toEqual(['app phone foreground', 'op phone']);
    // Foregrounded, the app's timers run: the create reaches the server within a second.
    const applied = events.find((e) => e.type === 'server.apply');
    expect(applied!.t).toBeLessThan(6_000);
  });

  it('launches an app the OS killed again before a write, and records it', async () => {
    const outcome = await run(`
name: write-after-kill
description: the user opens an app the OS had terminated and writes
duration: 20s
devices: [{ id: phone }]
steps:
  - { at: 1s, device: phone, app: background }
  - { at: 2s, device: phone, app: terminate }
  - { at: 5s, device: phone, create: { task: a, title: "A" } }
`);
    expect(outcome.ok).toBe(true);
    const at5 = outcome.world.trace.events.filter((e) => e.t === 5_000 && (e.type === 'fault' || e.type === 'op')).map(describeEvent);
    expect(at5).toEqual(['app phone foreground', 'op phone']);
  });
});
