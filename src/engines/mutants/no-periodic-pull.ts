import { defineMutant } from './define.ts';

export const noPeriodicPull = defineMutant(
  'no-periodic-pull',
  'no polling: a device pulls only when it writes, launches, reconnects or the user syncs',
  "sync-latency: another device's change reaches an idle device only much later",
  // DEFECT: the adaptive sync interval is missing.
  { pollMs: () => null },
);
