import type { AnyTraceEvent } from '../../src/trace/index.ts';

/** Events with seq filled in and t one ms apart unless an event gives its own. */
export function trace(...events: Array<Record<string, unknown> & { type: string }>): AnyTraceEvent[] {
  return events.map((e, seq) => ({ seq, t: seq, ...e }) as AnyTraceEvent);
}

export const value = (title: string, extra: Partial<{ completed: boolean; deleted: boolean }> = {}) => ({ title, completed: false, deleted: false, ...extra });

export const runStart = (...devices: string[]) => ({
  type: 'run.start', version: 1, scenario: 's', seed: 1, engine: 'x', devices: devices.map((id) => ({ id, skew: 0 })),
});
