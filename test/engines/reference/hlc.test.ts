import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareHlc, formatStamp, HLC_ZERO, observe, parseStamp, tick, type HlcState } from '../../../src/engines/reference/hlc.ts';

describe('hybrid logical clock', () => {
  it('issues strictly increasing stamps whatever the wall clock does', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -100_000, max: 10_000_000 }), { minLength: 1, maxLength: 100 }), (walls) => {
        let state: HlcState = HLC_ZERO;
        let last = '';
        for (const wall of walls) {
          state = tick(state, wall);
          const stamp = formatStamp(state);
          expect(stamp > last).toBe(true);
          last = stamp;
        }
      }),
    );
  });

  it('follows the wall clock when it moves forward', () => {
    const a = tick(HLC_ZERO, 1_000);
    expect(a).toEqual({ physical: 1_000, counter: 0 });
    expect(tick(a, 1_000)).toEqual({ physical: 1_000, counter: 1 });
    expect(tick(a, 2_000)).toEqual({ physical: 2_000, counter: 0 });
  });

  it('stamps after any remote stamp it has seen, even with a clock 90 s behind', () => {
    const remote = formatStamp({ physical: 100_000, counter: 3 });
    const skewed = tick(HLC_ZERO, 10_000); // this device reads 90 s less
    const next = formatStamp(tick(observe(skewed, remote), 10_001));
    expect(next > remote).toBe(true);
    expect(parseStamp(next)).toEqual({ physical: 100_000, counter: 4 });
  });

  it('ignores remote stamps that are behind it or in a foreign format', () => {
    const state = { physical: 5_000, counter: 2 };
    expect(observe(state, formatStamp({ physical: 4_000, counter: 9 }))).toBe(state);
    expect(observe(state, 'yesterday')).toBe(state);
    expect(observe(state, '000000000009000')).toEqual({ physical: 9_000, counter: 0 });
  });

  it('formats stamps that sort as strings exactly as the clock states sort', () => {
    const state = fc.record({ physical: fc.integer({ min: 0, max: 10 ** 14 }), counter: fc.integer({ min: 0, max: 999_999 }) });
    fc.assert(
      fc.property(state, state, (a, b) => {
        const byString = Math.sign(formatStamp(a).localeCompare(formatStamp(b), 'en'));
        const plain = formatStamp(a) < formatStamp(b) ? -1 : formatStamp(a) > formatStamp(b) ? 1 : 0;
        expect(plain).toBe(Math.sign(compareHlc(a, b)));
        expect(byString).toBe(plain);
        expect(parseStamp(formatStamp(a))).toEqual(a);
      }),
    );
  });

  it('clamps a negative device clock to zero', () => {
    expect(formatStamp(tick(HLC_ZERO, -90_000))).toBe('000000000000000.000001');
  });
});
