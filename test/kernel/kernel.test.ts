import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DeterminismViolation, Fence, InvariantError, Kernel } from '../../src/kernel/index.ts';

describe('Kernel: order of events', () => {
  it('runs events by time, and events at the same time in insertion order', async () => {
    const kernel = new Kernel();
    const log: string[] = [];
    kernel.schedule(20, () => log.push('b@20'));
    kernel.schedule(10, () => log.push('a@10'));
    kernel.schedule(20, () => log.push('c@20'));
    kernel.at(10, () => log.push('d@10'));
    kernel.schedule(0, () => log.push('e@0'));
    await kernel.runUntilQuiescent();
    expect(log).toEqual(['e@0', 'a@10', 'd@10', 'b@20', 'c@20']);
    expect(kernel.now).toBe(20);
    expect(kernel.eventsRun).toBe(5);
  });

  it('property: any schedule, including events scheduled by events, runs in (time, insertion) order', async () => {
    // Each root event may schedule one child at a further delay.
    const plan = fc.array(fc.record({ delay: fc.nat(50), child: fc.option(fc.nat(50), { nil: undefined }) }), { maxLength: 40 });
    await fc.assert(
      fc.asyncProperty(plan, async (roots) => {
        const kernel = new Kernel();
        const ran: Array<{ time: number; order: number; now: number }> = [];
        let order = 0;
        const scheduleLogged = (delay: number, then?: () => void) => {
          const entry = { time: kernel.now + delay, order: order++, now: -1 };
          kernel.schedule(delay, () => {
            entry.now = kernel.now;
            ran.push(entry);
            then?.();
          });
        };
        for (const root of roots) {
          scheduleLogged(root.delay, root.child === undefined ? undefined : () => scheduleLogged(root.child!));
        }
        await kernel.runUntilQuiescent();
        const expected = [...ran].sort((a, b) => a.time - b.time || a.order - b.order);
        expect(ran).toEqual(expected);
        for (const entry of ran) expect(entry.now).toBe(entry.time);
        expect(ran.length).toBe(order);
      }),
      { numRuns: 50 },
    );
  });

  it('refuses delays that are negative or fractional, and times in the past', async () => {
    const kernel = new Kernel();
    expect(() => kernel.schedule(-1, () => {})).toThrow(InvariantError);
    expect(() => kernel.schedule(1.5, () => {})).toThrow(InvariantError);
    await kernel.runUntil(10);
    expect(() => kernel.at(9, () => {})).toThrow(/past/);
  });
});

describe('Kernel: running', () => {
  it('runUntil(t) runs the events due at or before t and sets now to t', async () => {
    const kernel = new Kernel();
    const log: number[] = [];
    for (const time of [5, 10, 15]) kernel.at(time, () => log.push(kernel.now));
    await kernel.runUntil(10);
    expect(log).toEqual([5, 10]);
    expect(kernel.now).toBe(10);
    await kernel.runUntil(12);
    expect(log).toEqual([5, 10]);
    expect(kernel.now).toBe(12);
    kernel.schedule(1, () => log.push(kernel.now));
    await kernel.runUntil(100);
    expect(log).toEqual([5, 10, 13, 15]);
    expect(kernel.now).toBe(100);
  });

  it('runUntilQuiescent stops when only daemon events remain and returns true', async () => {
    const kernel = new Kernel();
    const log: string[] = [];
    kernel.at(5, () => log.push('daemon@5'), { daemon: true });
    kernel.at(10, () => log.push('live@10'));
    kernel.at(100, () => log.push('daemon@100'), { daemon: true });
    expect(kernel.quiescent).toBe(false);
    await expect(kernel.runUntilQuiescent()).resolves.toBe(true);
    // A daemon event before the last live one still runs; the one after it does not.
    expect(log).toEqual(['daemon@5', 'live@10']);
    expect(kernel.now).toBe(10);
    expect(kernel.nextEventTime).toBe(100);
  });

  it('runUntilQuiescent returns false when the limit comes first', async () => {
    const kernel = new Kernel();
    const log: number[] = [];
    kernel.at(10, () => log.push(10));
    kernel.at(50, () => log.push(50));
    await expect(kernel.runUntilQuiescent(20)).resolves.toBe(false);
    expect(log).toEqual([10]);
    expect(kernel.quiescent).toBe(false);
    await expect(kernel.runUntilQuiescent()).resolves.toBe(true);
    expect(log).toEqual([10, 50]);
  });

  it('a run with nothing to do is quiescent at once', async () => {
    const kernel = new Kernel();
    await expect(kernel.runUntilQuiescent()).resolves.toBe(true);
    expect(kernel.now).toBe(0);
  });

  it('cancel removes an event and its hold on the run; cancelling twice is harmless', async () => {
    const kernel = new Kernel();
    const log: string[] = [];
    const a = kernel.at(10, () => log.push('a'));
    kernel.at(20, () => log.push('b'));
    kernel.cancel(a);
    kernel.cancel(a);
    expect(kernel.quiescent).toBe(false); // b still counts, despite the double cancel
    await kernel.runUntilQuiescent();
    expect(log).toEqual(['b']);
    expect(kernel.eventsRun).toBe(1);

    const c = kernel.schedule(5, () => log.push('c'));
    kernel.cancel(c);
    expect(kernel.quiescent).toBe(true);
  });

  it('setDaemon lets an event stop keeping the run alive, and back', async () => {
    const kernel = new Kernel();
    const log: string[] = [];
    const event = kernel.at(10, () => log.push('x'));
    kernel.setDaemon(event, true);
    kernel.setDaemon(event, true);
    expect(kernel.quiescent).toBe(true);
    await expect(kernel.runUntilQuiescent()).resolves.toBe(true);
    expect(log).toEqual([]);
    kernel.setDaemon(event, false);
    kernel.setDaemon(event, false);
    await kernel.runUntilQuiescent();
    expect(log).toEqual(['x']);
    expect(kernel.quiescent).toBe(true);
  });

  it('an error thrown by an event rejects the run and uninstalls the guard', async () => {
    const kernel = new Kernel();
    kernel.at(1, () => {
      throw new Error('engine bug');
    });
    await expect(kernel.runUntilQuiescent()).rejects.toThrow('engine bug');
    expect(typeof Date.now()).toBe('number');
  });
});

describe('Kernel: fences', () => {
  it('drops the events of a closed fence', async () => {
    const kernel = new Kernel();
    const fence = new Fence('phone#1');
    const log: string[] = [];
    kernel.at(5, () => log.push('before'), { fence });
    kernel.at(10, () => fence.close());
    kernel.at(15, () => log.push('after'), { fence });
    kernel.at(15, () => log.push('unfenced'));
    await kernel.runUntilQuiescent();
    expect(log).toEqual(['before', 'unfenced']);
    expect(kernel.eventsRun).toBe(3);
  });

  it('holds the events of a frozen fence, in order, until thaw', async () => {
    const kernel = new Kernel();
    const fence = new Fence('phone#1');
    const log: string[] = [];
    kernel.at(5, () => {
      fence.frozen = true;
    });
    kernel.at(10, () => log.push(`a@${kernel.now}`), { fence });
    kernel.at(20, () => log.push(`b@${kernel.now}`), { fence });
    kernel.at(20, () => log.push(`other@${kernel.now}`));
    kernel.at(30, () => log.push(`c@${kernel.now}`), { fence });
    await kernel.runUntil(40);
    expect(log).toEqual(['other@20']);
    expect(fence.held).toHaveLength(3);

    kernel.thaw(fence);
    expect(fence.frozen).toBe(false);
    expect(fence.held).toHaveLength(0);
    await kernel.runUntilQuiescent();
    expect(log).toEqual(['other@20', 'a@40', 'b@40', 'c@40']);
  });

  it('a fence closed while frozen loses what it held', async () => {
    const kernel = new Kernel();
    const fence = new Fence('phone#1');
    fence.frozen = true;
    const log: string[] = [];
    kernel.at(10, () => log.push('held'), { fence });
    await kernel.runUntilQuiescent();
    fence.close();
    kernel.thaw(fence);
    await kernel.runUntilQuiescent();
    expect(log).toEqual([]);
  });

  it('runAs makes work belong to a fence, and restores the previous fence even if the work throws', async () => {
    const kernel = new Kernel();
    const phone = new Fence('phone#1');
    const seen: Array<string | null> = [];
    kernel.at(1, () => {
      kernel.runAs(phone, () => {
        seen.push(kernel.currentFence?.name ?? null);
        // Routed into the kernel during a run: belongs to phone#1.
        setImmediate(() => seen.push(`immediate:${kernel.currentFence?.name ?? null}`));
      });
      seen.push(kernel.currentFence?.name ?? null);
      expect(() =>
        kernel.runAs(phone, () => {
          throw new Error('inside');
        }),
      ).toThrow('inside');
      seen.push(kernel.currentFence?.name ?? null);
    });
    await kernel.runUntilQuiescent();
    expect(seen).toEqual(['phone#1', null, null, 'immediate:phone#1']);

    phone.close();
    kernel.at(2, () => kernel.runAs(phone, () => setImmediate(() => seen.push('dropped'))));
    await kernel.runUntilQuiescent();
    expect(seen).not.toContain('dropped');
  });
});

describe('Kernel: async events and setImmediate', () => {
  it('a chain of awaits inside an async event completes before the next event at a later time', async () => {
    const kernel = new Kernel();
    const log: string[] = [];
    kernel.at(10, () => {
      void (async () => {
        for (let i = 0; i < 5; i++) await Promise.resolve();
        log.push(`continuation@${kernel.now}`);
      })();
    }, { async: true });
    kernel.at(11, () => log.push(`next@${kernel.now}`));
    await kernel.runUntilQuiescent();
    expect(log).toEqual(['continuation@10', 'next@11']);
  });

  it('a deep chain of awaits completes before the next event at the same time (no trip through the event loop)', async () => {
    const kernel = new Kernel();
    const log: string[] = [];
    kernel.at(10, () => {
      void (async () => {
        for (let i = 0; i < 1_000; i++) await Promise.resolve();
        log.push('deep continuation');
      })();
    }, { async: true });
    kernel.at(10, () => log.push('next at the same time'));
    await kernel.runUntilQuiescent();
    expect(log).toEqual(['deep continuation', 'next at the same time']);
  });

  it('reports an unhandled rejection before virtual time moves on, even among events at one instant', async () => {
    const kernel = new Kernel();
    const log: string[] = [];
    kernel.at(5, () => void Promise.reject(new Error('dropped')), { async: true });
    kernel.at(5, () => log.push('same instant'), { async: true });
    kernel.at(6, () => log.push('later'));
    await expect(kernel.runUntilQuiescent()).rejects.toThrow(/unhandled promise rejection.*dropped/s);
    expect(log).toEqual(['same instant']);
  });

  it('setImmediate inside an event is a 0-delay kernel event that inherits the fence', async () => {
    const kernel = new Kernel();
    const phone = new Fence('phone#1');
    const log: string[] = [];
    kernel.at(10, () => {
      setImmediate(() => log.push(`immediate@${kernel.now} fence=${kernel.currentFence?.name}`));
      log.push('event');
    }, { fence: phone });
    kernel.at(10, () => log.push('queued-before-immediate'));
    kernel.at(11, () => log.push('later'));
    await kernel.runUntilQuiescent();
    expect(log).toEqual(['event', 'queued-before-immediate', 'immediate@10 fence=phone#1', 'later']);
  });

  it('setImmediate passes its extra arguments, clearImmediate cancels, and a closed fence drops the immediate', async () => {
    const kernel = new Kernel();
    const phone = new Fence('phone#1');
    const log: string[] = [];
    kernel.at(1, () => {
      setImmediate((a: string, b: number) => log.push(`${a}${b}`), 'x', 1);
      const handle = setImmediate(() => log.push('cleared'));
      clearImmediate(handle);
    });
    kernel.at(2, () => {
      setImmediate(() => log.push('dead'));
      phone.close();
    }, { fence: phone });
    await kernel.runUntilQuiescent();
    expect(log).toEqual(['x1']);
  });

  it('awaiting setImmediate inside an async event stays at the same virtual time', async () => {
    const kernel = new Kernel();
    const times: number[] = [];
    kernel.at(7, () => {
      void (async () => {
        await new Promise((resolve) => setImmediate(resolve));
        times.push(kernel.now);
        await new Promise((resolve) => setImmediate(resolve));
        times.push(kernel.now);
      })();
    }, { async: true });
    kernel.at(8, () => times.push(kernel.now));
    await kernel.runUntilQuiescent();
    expect(times).toEqual([7, 7, 8]);
  });
});

// What simulated code reads through the globals: test/kernel/virtual-globals.test.ts.
describe('Kernel: failures of simulated code', () => {
  it('an unhandled rejection in simulated code fails the run', async () => {
    const kernel = new Kernel();
    kernel.at(1, () => {
      void Promise.reject(new Error('nobody catches me'));
    }, { async: true });
    await expect(kernel.runUntilQuiescent()).rejects.toThrow(/unhandled promise rejection.*nobody catches me/s);
  });

  it('refuses two overlapping runs in one thread', async () => {
    const first = new Kernel();
    const second = new Kernel();
    second.at(1, () => {});
    let overlap: unknown = null;
    let reentry: unknown = null;
    first.at(1, () => {
      second.runUntilQuiescent().catch((error: unknown) => (overlap = error));
      first.runUntilQuiescent().catch((error: unknown) => (reentry = error));
    }, { async: true });
    await first.runUntilQuiescent();
    expect(overlap).toBeInstanceOf(DeterminismViolation);
    expect(String(overlap)).toMatch(/overlap/);
    expect(reentry).toBeInstanceOf(InvariantError);
  });

  // A refused run must leave the kernel usable (it once stayed marked as running).
  it('a kernel refused for overlapping can run once the other run has finished', async () => {
    const first = new Kernel();
    const second = new Kernel();
    const log: string[] = [];
    second.at(1, () => log.push('second ran'));
    first.at(1, () => {
      second.runUntilQuiescent().catch(() => {});
    }, { async: true });
    await first.runUntilQuiescent();
    await second.runUntilQuiescent();
    expect(log).toEqual(['second ran']);
  });
});
