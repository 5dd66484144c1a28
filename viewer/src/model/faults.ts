/**
 * What the diagram shows of fault events: periods shaded on a lane while a fault lasts
 * (offline, partition, crashed until restart, killed until launched again, app in the
 * background, server unavailable), and markers for the one-off faults that happen at an
 * instant (crash, restart, kill by the OS, server restart). Other faults (network settings,
 * skew, rules, quotas) are drawn as plain fault events.
 */
import type { EventHeader } from '../../../src/trace/events.ts';

export const SERVER = 'server';

export interface FaultPeriod {
  lane: string;
  kind: string;
  label: string;
  startT: number;
  endT: number;
  startSeq: number;
}

export type MarkerKind = 'crash' | 'restart' | 'kill' | 'server-restart';

export interface FaultMarker {
  lane: string;
  kind: MarkerKind;
  label: string;
  t: number;
  seq: number;
}

/** A fault event, read field by field (a trace from elsewhere may carry fields of any shape). */
type FaultEvent = EventHeader & { kind?: unknown; detail?: unknown };

/** The device a fault concerns, when it names one. */
export function faultDevice(detail: unknown): string | undefined {
  if (typeof detail === 'object' && detail !== null && typeof (detail as { device?: unknown }).device === 'string') {
    return (detail as { device: string }).device;
  }
  return undefined;
}

/** The one-off fault an event is, if it is one. */
export function markerOf(e: FaultEvent): Omit<FaultMarker, 't' | 'seq'> | undefined {
  const device = faultDevice(e.detail);
  const state = (e.detail as { state?: unknown } | undefined)?.state;
  switch (String(e.kind)) {
    case 'crash': return device ? { lane: device, kind: 'crash', label: 'crash' } : undefined;
    case 'restart': return device ? { lane: device, kind: 'restart', label: 'restart' } : undefined;
    case 'app': return device && state === 'terminate' ? { lane: device, kind: 'kill', label: 'killed by the OS' } : undefined;
    case 'server-restart': return { lane: SERVER, kind: 'server-restart', label: 'server restart' };
    default: return undefined;
  }
}

/** Follows fault events in trace order: opens and closes periods, collects markers. */
export class FaultTracker {
  readonly periods: FaultPeriod[] = [];
  readonly markers: FaultMarker[] = [];
  private readonly open = new Map<string, FaultPeriod>();

  constructor(private readonly lanes: readonly string[]) {}

  add(e: FaultEvent): void {
    const marker = markerOf(e);
    if (marker) this.markers.push({ ...marker, t: e.t, seq: e.seq });
    const detail = e.detail as Record<string, unknown> | undefined;
    const device = faultDevice(detail);
    switch (String(e.kind)) {
      case 'offline': if (device) this.start(device, 'offline', 'offline', e); break;
      case 'online': if (device) this.stop(device, 'offline', e.t); break;
      case 'connection':
        if (!device) break;
        if (detail?.connection === 'none') this.start(device, 'offline', 'no connection', e);
        else this.stop(device, 'offline', e.t);
        break;
      case 'crash': if (device) this.start(device, 'crash', 'crashed', e); break;
      case 'restart': if (device) this.stop(device, 'crash', e.t); break;
      case 'app': {
        if (!device) break;
        this.stop(device, 'app', e.t);
        const state = String(detail?.state);
        if (state === 'terminate') this.start(device, 'app', 'killed', e);
        else if (state !== 'foreground') this.start(device, 'app', `app ${state}`, e);
        break;
      }
      case 'unavailable': {
        const until = typeof detail?.until === 'number' ? detail.until : e.t + (typeof detail?.ms === 'number' ? detail.ms : 0);
        this.start(SERVER, 'unavailable', 'unavailable', e);
        this.stop(SERVER, 'unavailable', until);
        break;
      }
      case 'partition': {
        // Shade the lanes cut off from the server.
        const groups = Array.isArray(detail?.groups) ? (detail.groups as unknown[][]) : [];
        const serverGroup = groups.find((g) => Array.isArray(g) && g.includes(SERVER)) ?? [];
        for (const lane of this.lanes) if (lane !== SERVER && !serverGroup.includes(lane)) this.start(lane, 'partition', 'partitioned', e);
        break;
      }
      case 'heal':
        this.stopKind('partition', e.t);
        if ((detail as { final?: unknown } | undefined)?.final === true) {
          this.stopKind('offline', e.t);
          this.stopKind('crash', e.t);
        }
        break;
      default:
        break;
    }
  }

  /** Periods still open at the end last until the end of the trace. */
  close(endT: number): void {
    for (const period of this.periods) if (period.endT === Number.POSITIVE_INFINITY) period.endT = endT;
  }

  private start(lane: string, kind: string, label: string, e: FaultEvent): void {
    const key = `${lane}\u0000${kind}`;
    if (this.open.has(key)) return;
    const period = { lane, kind, label, startT: e.t, endT: Number.POSITIVE_INFINITY, startSeq: e.seq };
    this.open.set(key, period);
    this.periods.push(period);
  }

  private stop(lane: string, kind: string, t: number): void {
    const key = `${lane}\u0000${kind}`;
    const period = this.open.get(key);
    if (period) {
      period.endT = t;
      this.open.delete(key);
    }
  }

  private stopKind(kind: string, t: number): void {
    for (const [key, period] of this.open) {
      if (period.kind === kind) {
        period.endT = t;
        this.open.delete(key);
      }
    }
  }
}
