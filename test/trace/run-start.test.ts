/** The reader on run.start's verdict fields (SPEC §5): `expect`, `objectiveMs`, `finalHeal`, optional, checked at every depth. */
import { describe, expect, it } from 'vitest';
import { parseTrace, TraceFormatError } from '../../src/trace/index.ts';

const start = { seq: 0, t: 0, type: 'run.start', version: 1, scenario: 's', seed: 1, engine: 'reference', devices: [{ id: 'phone', skew: 0 }] };
const traceWith = (fields: Record<string, unknown>) => JSON.stringify({ ...start, ...fields }) + '\n' + JSON.stringify({ seq: 1, t: 5, type: 'snapshot', node: 'server', tasks: [], queue: [] }) + '\n';

function problemOf(fields: Record<string, unknown>): string {
  try {
    parseTrace(traceWith(fields));
  } catch (error) {
    expect(error).toBeInstanceOf(TraceFormatError);
    expect((error as TraceFormatError).line).toBe(1);
    return (error as TraceFormatError).problem;
  }
  throw new Error('the trace was accepted');
}

describe('run.start verdict fields', () => {
  it('are optional, and read when present', () => {
    expect(parseTrace(traceWith({}))[0]).not.toHaveProperty('expect');
    const fields = {
      expect: { tasks: { milk: { title: 'Buy milk', completed: true }, gone: { deleted: true } }, syncLatency: { max: 8000 }, violations: ['lww'] },
      objectiveMs: 8000,
      finalHeal: false,
    };
    expect(parseTrace(traceWith(fields))[0]).toMatchObject(fields);
  });

  it.each([
    [{ objectiveMs: '5000' }, 'objectiveMs', 'a positive number'],
    [{ objectiveMs: 0 }, 'objectiveMs', 'a positive number'],
    [{ finalHeal: 'yes' }, 'finalHeal', 'boolean'],
    [{ expect: [] }, 'expect', 'object'],
    [{ expect: { tasks: [] } }, 'expect.tasks', 'object'],
    [{ expect: { tasks: { milk: 'done' } } }, 'expect.tasks.milk', 'object'],
    [{ expect: { tasks: { milk: { title: 3 } } } }, 'expect.tasks.milk.title', 'string'],
    [{ expect: { tasks: { milk: { completed: 'no' } } } }, 'expect.tasks.milk.completed', 'boolean'],
    [{ expect: { tasks: { milk: { deleted: 1 } } } }, 'expect.tasks.milk.deleted', 'boolean'],
    [{ expect: { syncLatency: 5000 } }, 'expect.syncLatency', 'object'],
    [{ expect: { syncLatency: {} } }, 'expect.syncLatency.max', 'a positive number'],
    [{ expect: { violations: 'lww' } }, 'expect.violations', 'an array of strings'],
    [{ expect: { violations: ['lww', 7] } }, 'expect.violations', 'an array of strings'],
  ])('%j is a located error naming %s', (fields, field, what) => {
    expect(problemOf(fields)).toMatch(new RegExp(`^run\\.start: field "${field.replace(/\./g, '\\.')}" must be ${what}, got `));
  });
});
