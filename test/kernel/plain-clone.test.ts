import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { plainStructuredClone, realStructuredClone } from '../../src/kernel/plain-clone.ts';
import { Kernel } from '../../src/kernel/index.ts';

/** What a clone gives: the value, or the error's name. */
function outcome(clone: (value: unknown) => unknown, value: unknown): unknown {
  try {
    return { value: clone(value) };
  } catch (error) {
    return { error: (error as Error).name };
  }
}

describe('plainStructuredClone', () => {
  it('gives exactly what structuredClone gives, for any value (property)', () => {
    fc.assert(
      fc.property(fc.anything({ withBoxedValues: true, withMap: true, withSet: true, withDate: true, withTypedArray: true, withSparseArray: true, withNullPrototype: true, withBigInt: true }), (value) => {
        expect(outcome(plainStructuredClone, value)).toEqual(outcome(realStructuredClone, value));
      }),
      { numRuns: 500 },
    );
  });

  it('copies plain data deeply, and hands the rest to the real clone', () => {
    const row = { id: 'a', title: 'milk', completed: false, version: null, nested: { list: [1, 'two', { three: 3 }] } };
    const copy = plainStructuredClone(row);
    expect(copy).toEqual(row);
    expect(copy).not.toBe(row);
    expect(copy.nested.list).not.toBe(row.nested.list);
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic['self'] = cyclic;
    const cloned = plainStructuredClone(cyclic);
    expect(cloned['self']).toBe(cloned);
    expect(plainStructuredClone(new Date(5)).getTime()).toBe(5);
    expect(() => plainStructuredClone({ f: () => 1 })).toThrow(expect.objectContaining({ name: 'DataCloneError' }));
    const own = JSON.parse('{"__proto__": {"x": 1}}') as object;
    expect(Object.keys(plainStructuredClone(own))).toEqual(['__proto__']);
  });

  it('is the global structuredClone only while a simulated run is in progress', async () => {
    const kernel = new Kernel();
    let during: unknown;
    kernel.at(1, () => (during = globalThis.structuredClone));
    await kernel.runUntilQuiescent();
    expect(during).toBe(plainStructuredClone);
    expect(globalThis.structuredClone).toBe(realStructuredClone);
  });
});
