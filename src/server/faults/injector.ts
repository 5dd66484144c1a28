import seedrandom from 'seedrandom';
import type { FaultProfile } from './profiles.ts';

/** What happens to one request besides its latency. */
export type AnswerFault = 'none' | 'unavailable' | 'rateLimited' | 'resetBeforeApply' | 'resetAfterApply' | 'duplicate';

export interface RequestFaults {
  /** 0-based index of the request in arrival order. */
  index: number;
  latencyMs: number;
  fault: AnswerFault;
  /** For unavailable and rateLimited. */
  retryAfterS: number;
  /** True when the 503 is part of an outage (a run of them). */
  inOutage: boolean;
}

/** Draws per request: a fixed count, so request k's faults depend on the seed and k only. */
const DRAWS = 6;

/**
 * The seeded fault schedule of `serve --faults`: one decision per request, in arrival
 * order, from its own random stream. Same seed and same request sequence, same faults.
 * Duplicates apply to writes only (a read twice is the same read); on a read the draw is
 * spent and the request goes through clean.
 */
export class FaultInjector {
  private readonly random: () => number;
  private index = 0;
  private outageLeft = 0;

  constructor(readonly profile: FaultProfile, readonly seed: number) {
    this.random = seedrandom.alea(`serve-faults:${seed}`);
  }

  next(isWrite: boolean): RequestFaults {
    const r = Array.from({ length: DRAWS }, () => this.random());
    const p = this.profile;
    const index = this.index++;
    const latencyMs = r[0]! < p.latency.rate ? Math.round(p.latency.minMs + r[1]! * (p.latency.maxMs - p.latency.minMs)) : 0;
    const retryAfterS = p.retryAfterS.min + Math.floor(r[3]! * (p.retryAfterS.max - p.retryAfterS.min + 1));
    if (this.outageLeft === 0 && r[4]! < p.outage.rate) {
      this.outageLeft = p.outage.minRequests + Math.floor(r[5]! * (p.outage.maxRequests - p.outage.minRequests + 1));
    }
    if (this.outageLeft > 0) {
      this.outageLeft--;
      return { index, latencyMs, fault: 'unavailable', retryAfterS, inOutage: true };
    }
    let fault = pick(p, r[2]!);
    if (fault === 'duplicate' && !isWrite) fault = 'none';
    return { index, latencyMs, fault, retryAfterS, inOutage: false };
  }
}

const ORDER = ['unavailable', 'rateLimited', 'resetBeforeApply', 'resetAfterApply', 'duplicate'] as const;

/** One uniform draw over the answer faults' rates, laid end to end; past their sum, none. */
function pick(profile: FaultProfile, draw: number): AnswerFault {
  let edge = 0;
  for (const kind of ORDER) {
    edge += profile[kind];
    if (draw < edge) return kind;
  }
  return 'none';
}
