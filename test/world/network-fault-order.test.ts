import { describe, expect, it } from 'vitest';
import { World } from '../../src/world/index.ts';

describe('network conditions in the trace', () => {
  it('are recorded in the order a scenario file reads them, whatever order the step object has (a generated run and its written file give the same bytes)', () => {
    const w = new World<object>({
      seed: 1,
      devices: [{ id: 'phone' }],
      network: { drop: 0.2, latency: { min: 1, max: 2 } },
      handler: () => ({ status: 200, headers: {}, body: null }),
      app: () => ({}),
      launch: false,
    });
    w.setNetwork({ reorder: true, duplicate: 0.1, drop: 0.3, latency: { min: 5, max: 9 } });
    const details = w.trace.events.filter((e) => e.type === 'fault').map((e) => Object.keys((e as unknown as { detail: object }).detail));
    expect(details).toEqual([['latency', 'drop', 'initial'], ['latency', 'drop', 'duplicate', 'reorder']]);
  });
});
