import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareWrites, winner, type Stamped } from '../../../src/engines/reference/lww.ts';

interface Write extends Stamped {
  title: string;
}

/** Writes with distinct (stamp, device, deleted) keys, as real writes have. */
const write = fc.record({
  stamp: fc.integer({ min: 0, max: 50 }).map((n) => String(n).padStart(15, '0')),
  device: fc.constantFrom('phone', 'ipad', 'mac'),
  deleted: fc.boolean(),
}).map((w): Write => ({ ...w, title: `${w.stamp}/${w.device}/${w.deleted}` }));

describe('last-write-wins', () => {
  it('is commutative', () => {
    fc.assert(fc.property(write, write, (a, b) => {
      expect(winner(a, b).title).toBe(winner(b, a).title);
    }));
  });

  it('is associative', () => {
    fc.assert(
      fc.property(write, write, write, (a, b, c) => {
        expect(winner(winner(a, b), c).title).toBe(winner(a, winner(b, c)).title);
      }),
    );
  });

  it('is idempotent', () => {
    fc.assert(fc.property(write, (a) => {
      expect(winner(a, a)).toBe(a);
    }));
  });

  it('picks the same winner in any merge order', () => {
    fc.assert(
      fc.property(fc.array(write, { minLength: 1, maxLength: 12 }), fc.integer(), (writes, seed) => {
        const shuffled = [...writes].sort((x, y) => ((x.title.length * 31 + seed) % 7) - ((y.title.length * 31 + seed) % 7));
        expect(shuffled.reduce(winner).title).toBe(writes.reduce(winner).title);
      }),
    );
  });

  it('lets a delete beat any update, then the greater stamp, then the greater device', () => {
    const at = (stamp: string, device: string, deleted = false) => ({ stamp, device, deleted });
    expect(compareWrites(at('1', 'a', true), at('9', 'z'))).toBeGreaterThan(0);
    expect(compareWrites(at('2', 'a'), at('1', 'z'))).toBeGreaterThan(0);
    expect(compareWrites(at('2', 'b'), at('2', 'a'))).toBeGreaterThan(0);
    expect(compareWrites(at('2', 'b'), at('2', 'b'))).toBe(0);
  });
});
