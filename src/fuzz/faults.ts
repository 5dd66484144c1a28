import { SERVER } from '../net/index.ts';
import type { Step } from '../scenario/index.ts';
import { FAULT_KINDS, type FaultKind, type Profile } from './profiles.ts';
import type { Draw, Timeline } from './timeline.ts';

const MATCHES = ['*', 'POST /v1/sync/batch', 'GET /v1/tasks', 'POST /v1/tasks', 'PUT /v1/tasks', 'HEAD /v1/sync/status'];
const base = { line: 0, column: 0 };

/** Where and how long one fault lasts: a start in the first 80% of the run, an end within it. */
interface Window {
  start: number;
  end: number;
}

type Scheduler = (draw: Draw, ctx: FaultContext) => void;

interface FaultContext {
  profile: Profile;
  devices: string[];
  timeline: Timeline;
  /** The seed's timescale (profile.timescale): fault periods and downtimes stretch with the run. */
  scale: number;
  window(minMs: number, maxMs: number): Window;
}

/** The profile's fault schedule: for each kind, a count drawn from its range, each placed at random. */
export function scheduleFaults(draw: Draw, profile: Profile, devices: string[], timeline: Timeline): void {
  const scale = profile.timescale ?? 1;
  const ctx: FaultContext = {
    profile,
    devices,
    timeline,
    scale,
    window(minMs, maxMs) {
      const start = draw.int(0, Math.floor((timeline.duration * 0.8) / 100)) * 100;
      const end = Math.min(timeline.duration, start + draw.int(minMs / 100, maxMs / 100) * 100 * scale);
      return { start, end };
    },
  };
  for (const kind of FAULT_KINDS) {
    const range = profile.faults[kind];
    if (range === undefined) continue;
    const count = draw.int(range[0], range[1]);
    for (let i = 0; i < count; i++) SCHEDULERS[kind](draw, ctx);
  }
}

const SCHEDULERS: Record<FaultKind, Scheduler> = {
  drop(draw, { devices, timeline, window }) {
    const device = draw.pick(devices);
    const direction = draw.int(0, 2);
    const ends = direction === 0 ? { from: device, to: SERVER } : direction === 1 ? { from: SERVER, to: device } : {};
    const rule = { ...ends, match: draw.pick(MATCHES), count: draw.int(1, 3) };
    timeline.add({ ...base, kind: 'drop', at: window(0, 0).start, rule });
  },
  lossy(draw, { profile, timeline, window }) {
    const w = window(3_000, 20_000);
    timeline.add({ ...base, kind: 'network', at: w.start, conditions: { drop: draw.int(5, 50) / 100 } });
    timeline.add({ ...base, kind: 'network', at: w.end, conditions: { drop: 0, latency: { ...profile.latency } } });
  },
  duplicate(draw, { timeline, window }) {
    const w = window(3_000, 20_000);
    timeline.add({ ...base, kind: 'network', at: w.start, conditions: { duplicate: draw.int(5, 40) / 100 } });
    timeline.add({ ...base, kind: 'network', at: w.end, conditions: { duplicate: 0 } });
  },
  latencySpike(draw, { profile, timeline, window }) {
    const w = window(2_000, 15_000);
    const min = draw.int(3, 10) * 100;
    const max = min + draw.int(5, 30) * 100;
    timeline.add({ ...base, kind: 'network', at: w.start, conditions: { latency: { min, max } } });
    timeline.add({ ...base, kind: 'network', at: w.end, conditions: { latency: { ...profile.latency } } });
  },
  partition(draw, { devices, timeline, window }) {
    const w = window(2_000, 20_000);
    const cut = devices.filter(() => draw.chance(0.5));
    if (cut.length === 0) cut.push(draw.pick(devices));
    const rest = devices.filter((d) => !cut.includes(d));
    timeline.add({ ...base, kind: 'partition', at: w.start, groups: [cut, [...rest, SERVER]] });
    timeline.add({ ...base, kind: 'heal', at: w.end });
  },
  offline(draw, { devices, timeline, window }) {
    const device = draw.pick(devices);
    const w = window(2_000, 25_000);
    timeline.add({ ...base, kind: 'offline', at: w.start, device });
    timeline.add({ ...base, kind: 'online', at: w.end, device });
  },
  crash(draw, { devices, timeline, window }) {
    const device = draw.pick(devices);
    const w = window(500, 10_000);
    timeline.add({ ...base, kind: 'crash', at: w.start, device });
    timeline.add({ ...base, kind: 'restart', at: w.end, device });
  },
  crashAfterWrite(draw, { timeline, scale }) {
    if (timeline.writes.length === 0) return;
    const write = draw.pick(timeline.writes);
    const device = deviceOf(write.step);
    timeline.addAfter(write, { ...base, kind: 'crash', at: write.at, device });
    timeline.add({ ...base, kind: 'restart', at: write.at + draw.int(5, 100) * 100 * scale, device });
  },
  crashMidRequest(draw, { timeline, scale }) {
    if (timeline.requests.length === 0) return;
    const request = draw.pick(timeline.requests);
    const device = deviceOf(request.step);
    const at = request.at + draw.int(5, 400);
    timeline.add({ ...base, kind: 'crash', at, device });
    timeline.add({ ...base, kind: 'restart', at: at + draw.int(5, 100) * 100 * scale, device });
  },
  outage(draw, { timeline, window, scale }) {
    timeline.add({ ...base, kind: 'server-unavailable', at: window(0, 0).start, ms: draw.int(2, 20) * 1000 * scale });
  },
  rateLimit(draw, { timeline, window }) {
    const w = window(5_000, 30_000);
    timeline.add({ ...base, kind: 'server-rate-limit', at: w.start, limit: { capacity: draw.int(2, 8), refillPerSecond: draw.int(1, 4) / 2 } });
    timeline.add({ ...base, kind: 'server-rate-limit', at: w.end, limit: null });
  },
  serverRestart(_draw, { timeline, window }) {
    timeline.add({ ...base, kind: 'server-restart', at: window(0, 0).start });
  },
  skew(draw, { profile, devices, timeline, window }) {
    const range = Math.max(profile.skew, 5 * 60_000) / 1000;
    const drift = profile.drift > 0 && draw.chance(0.3) ? { drift: draw.int(-profile.drift, profile.drift) } : {};
    timeline.add({ ...base, kind: 'clock', at: window(0, 0).start, device: draw.pick(devices), skew: draw.int(-range, range) * 1000, ...drift });
  },
  app(draw, { devices, timeline, window }) {
    const device = draw.pick(devices);
    const w = window(3_000, 30_000);
    timeline.add({ ...base, kind: 'app', at: w.start, device, state: 'background' });
    const middle = w.start + Math.floor((w.end - w.start) / 200) * 100;
    const variant = draw.int(0, 2);
    if (variant === 1) timeline.add({ ...base, kind: 'backgroundRefresh', at: middle, device, ms: draw.int(5, 30) * 1000 });
    if (variant === 2) timeline.add({ ...base, kind: 'app', at: middle, device, state: 'terminate' });
    timeline.add({ ...base, kind: 'app', at: w.end, device, state: 'foreground' });
  },
  connection(draw, { devices, timeline, window }) {
    const device = draw.pick(devices);
    const w = window(3_000, 30_000);
    timeline.add({ ...base, kind: 'connection', at: w.start, device, connection: draw.chance(0.5) ? 'cellular' : 'none' });
    timeline.add({ ...base, kind: 'connection', at: w.end, device, connection: 'wifi' });
  },
  failWrites(draw, { timeline }) {
    if (timeline.writes.length === 0) return;
    const write = draw.pick(timeline.writes);
    timeline.addBefore(write, { ...base, kind: 'storage', at: write.at, device: deviceOf(write.step), failWrites: draw.int(1, 2) });
  },
};

function deviceOf(step: Step): string {
  if (!('device' in step)) throw new Error(`step ${step.kind} has no device`);
  return step.device;
}
