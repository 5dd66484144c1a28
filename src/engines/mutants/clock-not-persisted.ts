import { HybridClock } from '../reference/clock.ts';
import { HLC_ZERO } from '../reference/hlc.ts';
import { defineMutant } from './define.ts';

export const clockNotPersisted = defineMutant(
  'clock-not-persisted',
  'the HLC state is not restored at launch: after a restart the clock starts again from the device clock',
  'causal: after a restart, a slow device stamps an edit below a stamp it had already seen',
  // DEFECT: the stored HLC state is ignored.
  { clock: (_stored, wall) => new HybridClock(HLC_ZERO, wall) },
);
