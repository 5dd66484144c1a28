/**
 * The history the harness records itself (SPEC §5): invoke → ok | fail for every user
 * write, reads of what the user saw, engine errors — whatever the engine records.
 */
import { describe, expect, it } from 'vitest';
import type { EngineDescriptor } from '../../src/engines/engine.ts';
import { naiveEngine } from '../../src/engines/naive/index.ts';
import { referenceEngine } from '../../src/engines/reference/index.ts';
import { parseScenario } from '../../src/scenario/index.ts';
import { expandReads, type AnyTraceEvent } from '../../src/trace/index.ts';
import { runScenario } from '../../src/world/run-scenario.ts';
import { keepsNothingEngine, silentEngine } from '../fixtures/engines/black-box.ts';

const scenario = (steps: string, duration = '20s', devices = '[{ id: phone }, { id: ipad }]') => parseScenario(`
name: history
description: A history test.
duration: ${duration}
devices: ${devices}
steps:
${steps}
`, 'history.yaml');

const ofType = (events: readonly AnyTraceEvent[], type: string) => events.filter((e) => e.type === type) as Array<AnyTraceEvent & Record<string, unknown>>;

async function run(steps: string, engine: EngineDescriptor = referenceEngine) {
  const outcome = await runScenario(scenario(steps), { seed: 1, engine });
  return { outcome, events: outcome.world.trace.events };
}

describe('the history the harness records', () => {
  it('records invoke then ok for each write, with the id create returned, and a read after it', async () => {
    const { events } = await run(`  - { at: 1s, device: phone, create: { task: t, title: "Buy milk" } }`, silentEngine);
    const [invoke] = ofType(events, 'invoke');
    expect(invoke).toMatchObject({ device: 'phone', write: 'phone#1', kind: 'create', task: 't', value: { title: 'Buy milk', completed: false, deleted: false }, basis: null });
    const ok = ofType(events, 'ok')[0]!;
    expect(ok.write).toBe('phone#1');
    expect(typeof ok.id).toBe('string');
    const after = ofType(events, 'read').find((r) => r.seq > ok.seq)!;
    expect(after).toMatchObject({ device: 'phone', cause: 'write', rows: [{ task: 't', id: ok.id, title: 'Buy milk', completed: false }] });
  });

  it('fills the fields an update leaves alone from the row it edits, and names the write that row showed (issue 11: naive title-only update)', async () => {
    const { outcome, events } = await run(`
  - { at: 1s, device: phone, create: { task: t, title: "Buy milk", completed: true } }
  - { at: 5s, device: phone, update: { task: t, title: "Buy almond milk" } }`, naiveEngine);
    const update = ofType(events, 'invoke')[1]!;
    expect(update).toMatchObject({ kind: 'update', value: { title: 'Buy almond milk', completed: true, deleted: false }, basis: 'phone#1' });
    // The read before the edit: what the user found.
    expect(ofType(events, 'read').some((r) => r.cause === 'edit' && r.seq < update.seq)).toBe(true);
    for (const check of outcome.checks) for (const v of check.violations) expect(v.message).not.toMatch(/"Buy almond milk".*must hold.*"Buy almond milk" \(/);
    expect(outcome.checks.find((c) => c.checker === 'lww')!.ok).toBe(true);
  });

  it('plays a device\'s user actions one at a time, so an edit sees what the previous one left (fuzz calm 20216)', async () => {
    const { outcome, events } = await run(`
  - { at: 1s, device: phone, create: { task: t, title: "w4" } }
  - { at: 5s, device: ipad, sync: true }
  - { at: 10s, device: ipad, update: { task: t, title: "w7", completed: true } }
  - { at: 10s, device: ipad, update: { task: t, title: "w8" } }`);
    const second = ofType(events, 'invoke').at(-1)!;
    expect(second).toMatchObject({ value: { title: 'w8', completed: true, deleted: false }, basis: 'ipad#1' });
    expect(outcome.ok, outcome.expectationFailures.map((f) => f.message).join('\n')).toBe(true);
  });

  it('records fail with the LocalWriteError message, known by its name, and judges it', async () => {
    const { outcome, events } = await run(`
  - { at: 1s, device: phone, create: { task: t, title: "Buy milk" } }
  - { at: 2s, device: phone, storage: { failWrites: 1 } }
  - { at: 3s, device: phone, update: { task: t, title: "never" } }`, silentEngine);
    const fail = ofType(events, 'fail')[0]!;
    expect(fail).toMatchObject({ device: 'phone', write: 'phone#2' });
    expect(typeof fail.error).toBe('string');
    expect(outcome.ok).toBe(true);
  });

  it('writes reads compactly, and expands them back to what the user saw', async () => {
    const { events } = await run(`
  - { at: 1s, device: phone, create: { task: a, title: "A" } }
  - { at: 2s, device: phone, create: { task: b, title: "B" } }
  - { at: 3s, device: phone, create: { task: c, title: "C" } }
  - { at: 4s, device: phone, update: { task: a, title: "A2" } }
  - { at: 5s, device: phone, read: true }`, silentEngine);
    const reads = ofType(events, 'read').filter((r) => r.device === 'phone');
    expect(reads.some((r) => typeof r.since === 'number')).toBe(true);
    const last = expandReads(events).filter((r) => r.read.device === 'phone').at(-1)!;
    expect(last.rows.map((r) => `${r.task}:${r.title}`).sort()).toEqual(['a:A2', 'b:B', 'c:C']);
  });

  it('catches an engine that keeps nothing, whatever it records', async () => {
    const { outcome } = await run(`  - { at: 1s, device: phone, create: { task: t, title: "Buy milk" } }`, keepsNothingEngine);
    expect(outcome.violations).toEqual(expect.arrayContaining(['durability', 'read-your-writes']));
    expect(outcome.ok).toBe(false);
  });
});

describe('engine errors', () => {
  const throwing = (call: 'create' | 'tasks'): EngineDescriptor => ({
    name: `throws-in-${call}`,
    summary: 'test',
    create(ports) {
      const inner = silentEngine.create(ports);
      return { ...inner, [call]: async () => { throw new TypeError(`${call} broke`); } };
    },
  });

  it.each(['create', 'tasks'] as const)('records a %s that throws (not a LocalWriteError) as engine-error with its step line, and the run fails', async (call) => {
    const { outcome, events } = await run(`  - { at: 1s, device: phone, create: { task: t, title: "Buy milk" } }`, throwing(call));
    const error = ofType(events, 'engine-error')[0]!;
    expect(error).toMatchObject({ device: 'phone', step: 7, call, error: `TypeError: ${call} broke` });
    expect(outcome.ok).toBe(false);
    expect(outcome.verdict.violations).toContain('engine-error');
  });

  it('names a call that never settles, and its step', async () => {
    const hangs: EngineDescriptor = {
      name: 'hangs',
      summary: 'test',
      create(ports) {
        const inner = silentEngine.create(ports);
        return { ...inner, update: () => new Promise<void>(() => {}) };
      },
    };
    const { outcome, events } = await run(`
  - { at: 1s, device: phone, create: { task: t, title: "Buy milk" } }
  - { at: 2s, device: phone, update: { task: t, title: "Buy oat milk" } }`, hangs);
    const error = ofType(events, 'engine-error')[0]!;
    expect(error).toMatchObject({ device: 'phone', step: 9, call: 'update' });
    expect(String(error.error)).toMatch(/update\(\) on phone never settled \(the update step at line 9\)/);
    expect(outcome.ok).toBe(false);
  });

  it('records a run the engine broke (an unhandled rejection) as engine-error, judged by that alone', async () => {
    const leaks: EngineDescriptor = {
      name: 'leaks-a-rejection',
      summary: 'test',
      create(ports) {
        const inner = silentEngine.create(ports);
        return { ...inner, create: async (value) => {
          void Promise.reject(new RangeError('nobody awaits me'));
          return inner.create(value, { write: '' });
        } };
      },
    };
    const { outcome, events } = await run(`  - { at: 1s, device: phone, create: { task: t, title: "Buy milk" } }`, leaks);
    const error = ofType(events, 'engine-error')[0]!;
    expect(error).toMatchObject({ device: null, step: null, call: 'run' });
    expect(String(error.error)).toMatch(/nobody awaits me/);
    expect(outcome.checks).toEqual([]);
    expect(outcome.verdict.violations).toEqual(['engine-error']);
    expect(outcome.expectationFailures[0]!.message).toMatch(/^the engine broke the run: .*nobody awaits me/);
    expect(events.at(-1)!.type).toBe('run.end');
  });

  it('does not blame a call its app died in the middle of', async () => {
    const { events } = await run(`
  - { at: 1s, device: phone, create: { task: t, title: "Buy milk" } }
  - { at: 1s, crash: phone }
  - { at: 2s, restart: phone }`, silentEngine);
    expect(ofType(events, 'engine-error')).toEqual([]);
  });
});
