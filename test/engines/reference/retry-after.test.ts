import { describe, expect, it } from 'vitest';
import { remainingWait } from '../../../src/engines/reference/api-client.ts';

describe('what is left of a Retry-After', () => {
  it('counts from the send: time spent suspended before handling the reply is not waited again', () => {
    expect(remainingWait(15_000, 27_800, 29_000)).toBe(13_800);
    expect(remainingWait(15_000, 27_800, 50_000)).toBe(0);
  });

  it('never exceeds the Retry-After when the wall clock was set back meanwhile (found by fuzzing)', () => {
    expect(remainingWait(2_000, 100_000, 100_000 - 5 * 60_000)).toBe(2_000);
  });

  it('keeps "no Retry-After" as null', () => {
    expect(remainingWait(null, 0, 10)).toBeNull();
  });
});
