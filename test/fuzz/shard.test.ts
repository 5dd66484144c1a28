import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shardSeeds } from '../../src/fuzz/index.ts';

describe('shardSeeds', () => {
  it('splits the range so that the shards cover it exactly once (property)', () => {
    fc.assert(
      fc.property(fc.nat({ max: 10_000 }), fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 12 }), (start, seeds, count) => {
        const all = Array.from({ length: count }, (_, i) => shardSeeds(start, seeds, { index: i + 1, count })).flat();
        expect(all.length).toBe(seeds);
        expect([...all].sort((a, b) => a - b)).toEqual(shardSeeds(start, seeds, null));
      }),
      { seed: 11 },
    );
  });

  it('gives shard i the seeds with (s - start) % n == i - 1', () => {
    expect(shardSeeds(10, 10, { index: 2, count: 4 })).toEqual([11, 15, 19]);
    expect(() => shardSeeds(1, 10, { index: 5, count: 4 })).toThrow(/bad shard/);
  });
});
