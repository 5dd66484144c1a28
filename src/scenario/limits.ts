/**
 * The largest scenario the loader accepts (issue 14, point 5). Each bounds what a file can
 * make the loader or the run do, so that a hostile or mistaken file is refused at once with
 * its location instead of hanging or exhausting memory. Documented in src/scenario/README.md.
 */
export const SCENARIO_LIMITS = {
  /** Bytes of the file: the library's largest scenario is a few KiB. */
  fileBytes: 1 << 20,
  /** YAML nodes once aliases are expanded (a 1 MiB file without aliases has fewer than 600,000). */
  nodes: 1_000_000,
  /** Steps in the timeline. */
  steps: 10_000,
  /** Any duration (the run's, a step's `at`, an outage, a window, a latency, a skew): 30 days of virtual time. */
  durationMs: 30 * 24 * 3_600_000,
  /** Devices in the scenario. */
  devices: 100,
  /** Tasks the steps create, `createMany` included. */
  tasks: 100_000,
} as const;
