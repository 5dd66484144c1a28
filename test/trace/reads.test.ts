import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTrace, ReadChainError, ReadEncoder, ReadViews, TraceFormatError, type EventOf, type ReadRow } from '../../src/trace/index.ts';

const rowArb = fc.record({ id: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), task: fc.constantFrom('t1', 't2', 't3'), title: fc.constantFrom('x', 'y', 'z'), completed: fc.boolean() });
/** A list as an engine may show it: ids unique (two rows with one id are written whole, see below). */
const listArb = fc.uniqueArray(rowArb, { selector: (r) => r.id, maxLength: 6 });
const byId = (rows: Iterable<ReadRow>) => [...rows].map((r) => JSON.stringify([r.id, r.task, r.title, r.completed])).sort();

describe('compact reads', () => {
  it('expand back to exactly the lists that were read, across devices (property)', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.constantFrom('phone', 'ipad'), listArb), { maxLength: 30 }), (reads) => {
      const encoders = new Map<string, ReadEncoder>();
      const views = new ReadViews();
      reads.forEach(([device, rows], seq) => {
        let encoder = encoders.get(device);
        if (encoder === undefined) encoders.set(device, (encoder = new ReadEncoder()));
        const fields = encoder.encode(seq, device, 'step', rows);
        const expanded = views.apply({ seq, t: 0, type: 'read', ...fields } as EventOf<'read'>);
        expect(byId(expanded.values())).toEqual(byId(rows));
        if (fields.since !== undefined) expect(fields.rows.length + (fields.gone?.length ?? 0)).toBeLessThan(rows.length);
      });
    }));
  });

  it('writes a read whole when two rows share an id, and the next one too', () => {
    const encoder = new ReadEncoder();
    encoder.encode(0, 'phone', 'step', [{ id: 'a', task: 't', title: 'x', completed: false }]);
    const twice = encoder.encode(1, 'phone', 'step', [{ id: 'a', task: 't', title: 'x', completed: false }, { id: 'a', task: 't', title: 'y', completed: false }]);
    expect(twice.since).toBeUndefined();
    expect(twice.rows).toHaveLength(2);
    expect(new ReadViews().apply({ seq: 1, t: 0, type: 'read', ...twice } as EventOf<'read'>).size).toBe(2);
    const after = encoder.encode(2, 'phone', 'step', [{ id: 'a', task: 't', title: 'x', completed: false }]);
    expect(after.since).toBeUndefined();
  });

  it('refuses a compact read whose since is not the device\'s previous read, in the reader with its line', () => {
    expect(() => new ReadViews().apply({ seq: 3, t: 0, type: 'read', device: 'phone', since: 1, rows: [] })).toThrow(ReadChainError);
    const lines = [
      { seq: 0, t: 0, type: 'run.start', version: 1, scenario: 's', seed: 1, engine: 'e', devices: [{ id: 'phone', skew: 0 }] },
      { seq: 1, t: 0, type: 'read', device: 'phone', rows: [] },
      { seq: 2, t: 0, type: 'read', device: 'ipad', rows: [] },
      { seq: 3, t: 0, type: 'read', device: 'phone', since: 2, rows: [] },
    ].map((e) => JSON.stringify(e)).join('\n');
    let error: unknown;
    try { parseTrace(lines); } catch (e) { error = e; }
    expect(error).toBeInstanceOf(TraceFormatError);
    expect((error as TraceFormatError).line).toBe(4);
    expect((error as TraceFormatError).problem).toMatch(/since.*previous read \(1\), got 2/);
  });
});
