import { describe, expect, it } from 'vitest';
import { formatStamp, parseStamp, StampClock } from '../src/stamp-clock.ts';

describe('the stamp clock', () => {
  it('follows the device clock and never repeats a stamp', () => {
    let now = 1000;
    const clock = new StampClock(() => now);
    const a = clock.next();
    const b = clock.next();
    now = 900; // the device clock went back (a skew step)
    const c = clock.next();
    expect([a, b, c]).toEqual(['000000000001000.000000', '000000000001000.000001', '000000000001000.000002']);
  });

  it('moves past every stamp it observes, so an edit made after seeing another wins over it', () => {
    const clock = new StampClock(() => 10);
    clock.observe('000000000050000.000003');
    clock.observe('not a stamp');
    expect(clock.next()).toBe('000000000050000.000004');
  });

  it('stamps compare as strings in time order', () => {
    expect(formatStamp({ physical: 999, counter: 0 }) < formatStamp({ physical: 1000, counter: 0 })).toBe(true);
    expect(parseStamp(formatStamp({ physical: 12, counter: 3 }))).toEqual({ physical: 12, counter: 3 });
    expect(formatStamp({ physical: -5, counter: 0 })).toBe('000000000000000.000000');
  });
});
