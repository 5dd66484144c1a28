import { describe, expect, it } from 'vitest';
import { formatCount, formatTime, niceTimeStep } from '../../viewer/src/components/format.ts';

describe('viewer formats', () => {
  it('writes times short under a minute and in clock parts above', () => {
    expect(formatTime(0)).toBe('0ms');
    expect(formatTime(250)).toBe('250ms');
    expect(formatTime(1_250)).toBe('1.25s');
    expect(formatTime(10_119)).toBe('10.1s');
    expect(formatTime(60_000)).toBe('1m');
    expect(formatTime(1_000_000)).toBe('16m 40s');
    expect(formatTime(10_000_000)).toBe('2h 46m 40s');
    expect(formatTime(86_402_000)).toBe('24h 2s');
    expect(formatTime(3 * 3_600_000 + 10 * 60_000)).toBe('3h 10m');
    expect(formatTime(-90_000)).toBe('-1m 30s');
  });

  it('steps a time axis in 1-2-5 decades under a minute and in round clock units above', () => {
    expect(niceTimeStep(1_000, 10)).toBe(100);
    expect(niceTimeStep(42_000, 10)).toBe(5_000);
    expect(niceTimeStep(30 * 60_000, 10)).toBe(5 * 60_000);
    expect(niceTimeStep(86_400_000, 12)).toBe(2 * 3_600_000);
    expect(niceTimeStep(86_400_000, 10)).toBe(3 * 3_600_000);
    expect(niceTimeStep(30 * 86_400_000, 10)).toBe(3 * 86_400_000);
  });

  it('groups thousands', () => {
    expect(formatCount(100_000)).toBe('100,000');
    expect(formatCount(999)).toBe('999');
  });
});
