/**
 * What code running as one node — a device's app incarnation, the server, the harness —
 * reads when it asks the platform for the time or a random number (SPEC §3.2). A device
 * gives its own clock (skew and drift included) and its own seeded stream; everything else
 * gets the run's true virtual time and a stream of the run.
 */
export interface NodeWorld {
  /** Wall-clock ms: what the global Date reads for "now". */
  now(): number;
  /** A float in [0, 1): what the global random functions and the crypto randoms draw from. */
  random(): number;
}
