import { RandomStream } from '../kernel/index.ts';

/**
 * Fuzz profiles: how big a generated scenario is and which faults it suffers, how often.
 * A range `[min, max]` is drawn uniformly (inclusive) by the generator for each seed.
 * Fault counts are per scenario; every fault that has an end (partition, offline, crash,
 * outage, ...) is undone within the scenario's duration, and the final heal ends the rest.
 *
 * | profile         | devices | writes | duration | faults                                                        |
 * |-----------------|---------|--------|----------|---------------------------------------------------------------|
 * | `calm`          | 2–3     | 4–12   | 30–45 s  | none: ordinary latency, in-order links, a few user syncs      |
 * | `flaky-network` | 2–4     | 6–16   | 45–75 s  | random drop/duplicate periods, targeted drops (lost replies), |
 * |                 |         |        |          | latency spikes, reorder, offline periods, connection changes  |
 * | `chaos`         | 3–6     | 8–24   | 60–90 s  | everything: the network faults, partitions, crashes at any    |
 * |                 |         |        |          | moment, outages, rate limits, skew, app lifecycle, failWrites |
 * | `crashy`        | 2–4     | 6–18   | 45–75 s  | crashes (right after a write, mid-request, anywhere), OS      |
 * |                 |         |        |          | terminations, server restarts, failWrites                     |
 * | `skewed`        | 2–5     | 6–18   | 45–75 s  | large initial skews and drift, skew changes mid-run, offline  |
 * |                 |         |        |          | edits that compete under clock skew                           |
 * | `swarm`         | 2–5     | 6–20   | 45–75 s  | swarm testing (the default): each seed turns on a random half |
 * |                 |         |        |          | of all fault kinds, 1–2 of each, sometimes skewed clocks, and |
 * |                 |         |        |          | in 6% of seeds a bulk create of 1,001–1,100 tasks (paging),  |
 * |                 |         |        |          | in 4% a long horizon: run and fault periods ×10–40 (to 50 min)|
 *
 * Swarm testing (Groce et al., ISSTA 2012) finds more bugs than one fixed mix: a fault that
 * masks another (a crash that hides a lost reply) is absent from many seeds, and each seed
 * concentrates on a few faults, so their rarer interactions come up often.
 */

export const PROFILE_NAMES = ['swarm', 'calm', 'flaky-network', 'chaos', 'crashy', 'skewed'] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

export type Range = readonly [min: number, max: number];

/** Every kind of fault the generator can schedule; each profile gives a count range per kind. */
export const FAULT_KINDS = [
  'drop', // targeted drop rule: the next 1–3 matching messages are lost (requests or replies)
  'lossy', // a period of random drop probability on every link
  'duplicate', // a period of random duplication
  'latencySpike', // a period of much higher latency
  'partition', // some devices cut from the server, then heal
  'offline', // airplane mode on, then off
  'crash', // process killed at a random moment, restarted later
  'crashAfterWrite', // killed at the same instant as a write, right after it in step order
  'crashMidRequest', // killed a few ms after a write or sync, while its request is in flight
  'outage', // server answers 503 with Retry-After for a while
  'rateLimit', // server rate limit on for a while, then off
  'serverRestart', // server process restarts, requests in flight lost
  'skew', // a device's clock jumps
  'app', // background then foreground (with a refresh window) or OS terminate
  'connection', // cellular or none for a while, then back to wifi
  'failWrites', // the next 1–2 local transactions of a device fail, right before a write
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface Profile {
  name: ProfileName;
  summary: string;
  devices: Range;
  /** User writes (creates, updates, deletes); user syncs come on top. */
  writes: Range;
  /** User pull-to-refresh actions. */
  syncs: Range;
  /** Virtual duration of the timeline, ms. */
  duration: Range;
  /** Initial per-device clock skew, ms (drawn in ±range). */
  skew: number;
  /** Initial per-device drift, ppm (drawn in ±range); 0 = none. */
  drift: number;
  /** Base latency of the network defaults. */
  latency: { min: number; max: number };
  /** Probability that a scenario runs with reorder on. */
  reorder: number;
  faults: Partial<Record<FaultKind, Range>>;
  /**
   * Probability that a seed also has one bulk create of 1,001–1,100 tasks (a `createMany`),
   * so deltas span more than one 1,000-task page. Absent: never (and nothing is drawn).
   */
  bulk?: number;
  /**
   * The sync-latency objective for the scenario (`expect.syncLatency.max`), when the
   * profile's faults make the design's 5 s impossible even for a correct engine: cellular
   * polls every 30 s (as in scenarios/wifi-cellular-switching.yaml). Absent: the default 5 s.
   */
  syncLatencyObjective?: number;
  /**
   * Stretches the run: its duration, every fault period and downtime (outages, crashes,
   * background, partitions, ...) are this many times longer, while writes stay as many.
   * Long horizons are where backoffs reach their cap, Retry-After waits run for minutes and
   * timers pile up. Absent: 1.
   */
  timescale?: number;
}

const calm: Profile = {
  name: 'calm',
  summary: 'no faults: 2–3 devices edit and sync over an ordinary network',
  devices: [2, 3],
  writes: [4, 12],
  syncs: [0, 3],
  duration: [30_000, 45_000],
  skew: 0,
  drift: 0,
  latency: { min: 20, max: 150 },
  reorder: 0,
  faults: {},
};

const flakyNetwork: Profile = {
  name: 'flaky-network',
  summary: 'a poor network: loss, duplicates, reordering, latency spikes, lost replies, offline periods, connection changes',
  devices: [2, 4],
  writes: [6, 16],
  syncs: [0, 4],
  duration: [45_000, 75_000],
  skew: 0,
  drift: 0,
  latency: { min: 20, max: 300 },
  reorder: 0.7,
  faults: {
    drop: [1, 4],
    lossy: [0, 2],
    duplicate: [0, 2],
    latencySpike: [0, 2],
    offline: [0, 2],
    connection: [0, 2],
  },
  syncLatencyObjective: 35_000,
};

const chaos: Profile = {
  name: 'chaos',
  summary: 'every fault at once: network faults, partitions, crashes, outages, rate limits, skew, app lifecycle, failing writes',
  devices: [3, 6],
  writes: [8, 24],
  syncs: [0, 4],
  duration: [60_000, 90_000],
  skew: 60_000,
  drift: 0,
  latency: { min: 20, max: 300 },
  reorder: 0.8,
  faults: {
    drop: [0, 3],
    lossy: [0, 2],
    duplicate: [0, 2],
    latencySpike: [0, 1],
    partition: [0, 2],
    offline: [0, 2],
    crash: [0, 2],
    crashAfterWrite: [0, 1],
    crashMidRequest: [0, 1],
    outage: [0, 1],
    rateLimit: [0, 1],
    serverRestart: [0, 1],
    skew: [0, 2],
    app: [0, 2],
    connection: [0, 1],
    failWrites: [0, 1],
  },
  syncLatencyObjective: 35_000,
};

const crashy: Profile = {
  name: 'crashy',
  summary: 'processes die: crashes right after writes and mid-request, OS terminations, server restarts, failing local writes',
  devices: [2, 4],
  writes: [6, 18],
  syncs: [0, 4],
  duration: [45_000, 75_000],
  skew: 0,
  drift: 0,
  latency: { min: 20, max: 200 },
  reorder: 0.3,
  faults: {
    crash: [1, 3],
    crashAfterWrite: [1, 2],
    crashMidRequest: [1, 2],
    serverRestart: [0, 1],
    app: [0, 2],
    failWrites: [0, 2],
  },
};

const skewed: Profile = {
  name: 'skewed',
  summary: 'clocks disagree: large initial skews and drift, skew jumps, offline edits that compete under skew',
  devices: [2, 5],
  writes: [6, 18],
  syncs: [0, 4],
  duration: [45_000, 75_000],
  skew: 10 * 60_000,
  drift: 200,
  latency: { min: 20, max: 150 },
  reorder: 0.3,
  faults: {
    skew: [1, 4],
    offline: [1, 3],
  },
};

/** The swarm template; `profileFor` draws each seed's own fault set from it. */
const swarm: Profile = {
  name: 'swarm',
  summary: 'swarm testing: each seed turns on a random subset of every fault kind',
  devices: [2, 5],
  writes: [6, 20],
  syncs: [0, 4],
  duration: [45_000, 75_000],
  skew: 0,
  drift: 0,
  latency: { min: 20, max: 250 },
  reorder: 0.5,
  faults: {},
};

export const profiles: Readonly<Record<ProfileName, Profile>> = {
  swarm,
  calm,
  'flaky-network': flakyNetwork,
  chaos,
  crashy,
  skewed,
};

/** Swarm seeds stretched to a long horizon (see Profile.timescale): idle time is nearly free to simulate. */
const LONG_HORIZON = 0.04;

/** The profile a seed runs under: the named one, or for `swarm` the seed's own draw. */
export function profileFor(name: ProfileName, seed: number): Profile {
  if (name !== 'swarm') return profiles[name];
  const random = new RandomStream(`swarm:${seed}`);
  const faults: Partial<Record<FaultKind, Range>> = {};
  for (const kind of FAULT_KINDS) if (random.chance(0.5)) faults[kind] = [1, 2];
  const skewed = random.chance(0.3);
  const timescale = random.chance(LONG_HORIZON) ? random.int(10, 40) : 1;
  return {
    ...swarm,
    faults,
    bulk: 0.06,
    timescale,
    skew: skewed ? 5 * 60_000 : 0,
    drift: skewed ? 100 : 0,
    // Cellular polls every 30 s: the design's 5 s cannot hold there (see flaky-network).
    ...(faults.connection !== undefined && { syncLatencyObjective: 35_000 }),
  };
}

export function isProfileName(name: string): name is ProfileName {
  return (PROFILE_NAMES as readonly string[]).includes(name);
}
