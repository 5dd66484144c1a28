import { HybridClock } from '../reference/clock.ts';
import { defineMutant } from './define.ts';

/** A clock that never moves past the stamps it sees: stamps follow the device clock alone. */
class WallClock extends HybridClock {
  override see(): void {
    // DEFECT: the HLC receive rule is missing, so a device whose clock is slow stamps an
    // edit made after seeing another device's edit as older than it.
  }
}

export const wallClockStamps = defineMutant(
  'wall-clock-stamps',
  'LWW stamps come from the device clock alone (the HLC ignores stamps it has seen)',
  'causal: under clock skew a causally later edit loses (lost update)',
  { clock: (stored, wall) => new WallClock(stored, wall) },
);
