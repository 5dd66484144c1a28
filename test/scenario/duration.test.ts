import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../src/scenario/index.ts';

const ms = (input: unknown, allowNegative = false) => {
  const result = parseDuration(input, { allowNegative });
  if (!result.ok) throw new Error(result.message);
  return result.ms;
};
const failure = (input: unknown, allowNegative = false) => {
  const result = parseDuration(input, { allowNegative });
  return result.ok ? `parsed as ${result.ms}` : result.message;
};

describe('parseDuration', () => {
  it('reads integers as ms and strings with a unit', () => {
    expect(ms(0)).toBe(0);
    expect(ms(250)).toBe(250);
    expect(ms('250ms')).toBe(250);
    expect(ms('5s')).toBe(5_000);
    expect(ms('10m')).toBe(600_000);
    expect(ms('1h')).toBe(3_600_000);
    expect(ms('0s')).toBe(0);
    expect(ms(' 2m ')).toBe(120_000);
  });

  it('reads compound durations from the largest unit down, a decimal only in the last part', () => {
    expect(ms('1h30m')).toBe(5_400_000);
    expect(ms('10h30m')).toBe(37_800_000);
    expect(ms('2m15s')).toBe(135_000);
    expect(ms('1h0m5s')).toBe(3_605_000);
    expect(ms('1s250ms')).toBe(1_250);
    expect(ms('1m1.5s')).toBe(61_500);
    expect(ms('-1h30m', true)).toBe(-5_400_000);
    for (const bad of ['30s1m', '1m1m', '5ms1s']) {
      expect(failure(bad), bad).toMatch(/with its parts from the largest unit down, got /);
    }
  });

  it('reads decimals exactly when they make whole ms', () => {
    expect(ms('1.5s')).toBe(1_500);
    expect(ms('1.1s')).toBe(1_100);
    expect(ms('0.001s')).toBe(1);
    expect(ms('0.5m')).toBe(30_000);
    expect(ms('1.25h')).toBe(4_500_000);
    expect(ms('2.000ms')).toBe(2);
    expect(failure('1.0005s')).toBe('must be a whole number of ms, got "1.0005s"');
    expect(failure('0.5ms')).toBe('must be a whole number of ms, got "0.5ms"');
    expect(failure(1.5)).toBe('must be a whole number of ms, got 1.5');
  });

  it('rejects negatives unless allowed, and never yields -0', () => {
    expect(failure('-90s')).toBe('must not be negative, got -90s');
    expect(failure(-1)).toBe('must not be negative, got -1');
    expect(ms('-90s', true)).toBe(-90_000);
    expect(ms(-250, true)).toBe(-250);
    expect(Object.is(ms('-0s', true), 0)).toBe(true);
    expect(Object.is(ms(-0, true), 0)).toBe(true);
  });

  it('rejects other spellings and types', () => {
    for (const bad of ['', '5', '5 s', '5sec', '1d', 's', '.5s', '5.s', '+5s', '1m30', '1.5m30s', '5S', 'abc']) {
      expect(failure(bad), bad).toMatch(/^must be a duration \(an integer of ms, or a string like 250ms, 5s, 1.5s, 10m, 1h, 1h30m\), got /);
    }
    expect(failure(null)).toMatch(/got null$/);
    expect(failure(true)).toMatch(/got true$/);
    expect(failure([1])).toMatch(/got a list$/);
    expect(failure(Number.POSITIVE_INFINITY)).toMatch(/got Infinity$/);
    expect(failure('9999999999999h')).toBe('is too large: "9999999999999h"');
    expect(failure(2 ** 53)).toBe(`is too large: ${2 ** 53}`);
  });
});

describe('formatDuration', () => {
  it('picks the largest exact unit', () => {
    expect(formatDuration(0)).toBe('0s');
    expect(formatDuration(3_600_000)).toBe('1h');
    expect(formatDuration(90_000)).toBe('90s');
    expect(formatDuration(120_000)).toBe('2m');
    expect(formatDuration(1_500)).toBe('1500ms');
    expect(formatDuration(-90_000)).toBe('-90s');
    expect(() => formatDuration(1.5)).toThrow(RangeError);
  });

  it('round-trips: parse(format(ms)) === ms', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), (n) => {
        expect(ms(formatDuration(n), true)).toBe(n);
      }),
    );
  });

  it('reads any decimal in any unit exactly, and refuses fractions of a ms', () => {
    const units = [['ms', 1], ['s', 1_000], ['m', 60_000], ['h', 3_600_000]] as const;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e7 }), fc.integer({ min: 0, max: 4 }), fc.constantFrom(...units), (k, places, [unit, size]) => {
        // The decimal k / 10^places, written with exactly `places` fraction digits.
        const scale = 10 ** places;
        const digits = String(k).padStart(places + 1, '0');
        const text = places === 0 ? `${k}${unit}` : `${digits.slice(0, -places)}.${digits.slice(-places)}${unit}`;
        if ((k * size) % scale === 0) expect(ms(text)).toBe((k * size) / scale);
        else expect(failure(text)).toBe(`must be a whole number of ms, got "${text}"`);
      }),
    );
  });
});
