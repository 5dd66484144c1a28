/**
 * Faults on the diagram: one-off faults become markers on their lane, lasting ones become
 * shaded periods, and the two never stand for one another.
 */
import { describe, expect, it } from 'vitest';
import { buildIndex } from '../../viewer/src/model/trace-index.ts';
import { runStart, trace } from './events.ts';

const fault = (t: number, kind: string, detail: Record<string, unknown> = {}) => ({ type: 'fault', t, kind, detail });

const index = buildIndex(trace(
  { ...runStart('phone', 'ipad'), t: 0 }, // 0
  fault(100, 'crash', { device: 'phone' }), // 1
  fault(300, 'restart', { device: 'phone' }), // 2
  fault(400, 'restart', { device: 'ipad' }), // 3: a restart of a running app, crash and launch at once
  fault(500, 'server-restart'), // 4
  fault(600, 'app', { device: 'ipad', state: 'background' }), // 5
  fault(700, 'app', { device: 'ipad', state: 'terminate' }), // 6
  fault(900, 'app', { device: 'ipad', state: 'foreground' }), // 7
  fault(1000, 'offline', { device: 'phone' }), // 8
  fault(1100, 'online', { device: 'phone' }), // 9
  fault(1200, 'partition', { groups: [['phone'], ['ipad', 'server']] }), // 10
  fault(1300, 'unavailable', { ms: 50, until: 1350 }), // 11
  fault(1400, 'heal', {}), // 12
  fault(1500, 'network', { latency: { min: 1, max: 2 } }), // 13
  fault(1600, 'crash', { device: 'ipad' }), // 14: never restarted
  fault(2000, 'heal', { final: true }), // 15
));

describe('fault markers and periods', () => {
  it('marks each one-off fault on its lane: crash, restart, kill by the OS, server restart', () => {
    expect(index.markers.map((m) => [m.seq, m.lane, m.kind])).toEqual([
      [1, 'phone', 'crash'],
      [2, 'phone', 'restart'],
      [3, 'ipad', 'restart'],
      [4, 'server', 'server-restart'],
      [6, 'ipad', 'kill'],
      [14, 'ipad', 'crash'],
    ]);
  });

  it('shades what lasts: crashed until restart, killed until launched, offline, partitioned, unavailable', () => {
    expect(index.periods.map((p) => [p.lane, p.kind, p.label, p.startT, p.endT])).toEqual([
      ['phone', 'crash', 'crashed', 100, 300],
      ['ipad', 'app', 'app background', 600, 700],
      ['ipad', 'app', 'killed', 700, 900],
      ['phone', 'offline', 'offline', 1000, 1100],
      ['phone', 'partition', 'partitioned', 1200, 1400],
      ['server', 'unavailable', 'unavailable', 1300, 1350],
      ['ipad', 'crash', 'crashed', 1600, 2000],
    ]);
  });

  it('leaves setting changes to the event layer and keeps every fault jumpable', () => {
    expect(index.markers.some((m) => m.seq === 13)).toBe(false);
    expect(index.periods.some((p) => p.startSeq === 13)).toBe(false);
    expect(index.faultSeqs).toHaveLength(15);
    expect(index.finalHealT).toBe(2000);
  });
});
