import { describe, expect, it } from 'vitest';
import { DeviceClock, DeviceTimers, Fence, Kernel } from '../../src/kernel/index.ts';

function phone() {
  const kernel = new Kernel();
  const fence = new Fence('phone#1');
  const timers = new DeviceTimers(kernel, fence);
  const log: string[] = [];
  const note = (what: string) => () => log.push(`${what}@${kernel.now}`);
  return { kernel, fence, timers, log, note };
}

describe('DeviceTimers: timeouts', () => {
  it('setTimeout fires after its delay in virtual time; clearTimeout stops it', async () => {
    const { kernel, timers, log, note } = phone();
    timers.setTimeout(note('a'), 100);
    const b = timers.setTimeout(note('b'), 50);
    timers.setTimeout(note('c'), 100);
    timers.clearTimeout(b);
    timers.clearTimeout(undefined);
    await kernel.runUntilQuiescent();
    expect(log).toEqual(['a@100', 'c@100']);
  });

  it('a missing, negative or fractional delay is rounded to whole ms >= 0', async () => {
    const { kernel, timers, log, note } = phone();
    timers.setTimeout(note('frac'), 10.9);
    timers.setTimeout(note('neg'), -5);
    timers.setTimeout(note('nan'), Number.NaN);
    await kernel.runUntilQuiescent();
    expect(log).toEqual(['neg@0', 'nan@0', 'frac@10']);
  });

  it('delays are elapsed virtual time: changing the device clock does not move them', async () => {
    const { kernel, timers, log } = phone();
    const clock = new DeviceClock(kernel, 0);
    timers.setTimeout(() => log.push(`fired t=${kernel.now} clock=${clock.now()}`), 1000);
    kernel.at(500, () => {
      clock.skew = 3_600_000;
    });
    kernel.at(600, () => {
      clock.skew = -3_600_000;
    });
    await kernel.runUntilQuiescent();
    expect(log).toEqual([`fired t=1000 clock=${1000 - 3_600_000}`]);
  });

  it('timers of a closed fence never fire, and a closed fence schedules none', async () => {
    const { kernel, fence, timers, log, note } = phone();
    timers.setTimeout(note('timeout'), 100);
    timers.setInterval(note('interval'), 30);
    kernel.at(50, () => fence.close());
    await kernel.runUntilQuiescent();
    expect(log).toEqual(['interval@30']);

    timers.setTimeout(note('late timeout'), 10);
    timers.setInterval(note('late interval'), 10);
    expect(kernel.quiescent).toBe(true);
    await kernel.runUntilQuiescent();
    expect(log).toEqual(['interval@30']);
  });

  it('timers of a frozen fence fire only after thaw', async () => {
    const { kernel, fence, timers, log, note } = phone();
    timers.setTimeout(note('a'), 10);
    timers.setTimeout(note('b'), 20);
    fence.frozen = true;
    await kernel.runUntil(100);
    expect(log).toEqual([]);
    kernel.thaw(fence);
    await kernel.runUntilQuiescent();
    expect(log).toEqual(['a@100', 'b@100']);
  });

  // A timer that came due while its fence was frozen is rescheduled on thaw as a new event;
  // clearing it must still stop it. Here timeout A (run first after thaw) clears timeout B.
  it('clearTimeout works on a timer that came due while its fence was frozen', async () => {
    const { kernel, fence, timers, log, note } = phone();
    let b: ReturnType<typeof timers.setTimeout> | undefined;
    timers.setTimeout(() => {
      log.push(`a@${kernel.now}`);
      timers.clearTimeout(b);
    }, 10);
    b = timers.setTimeout(note('b'), 20);
    fence.frozen = true;
    await kernel.runUntil(100);
    kernel.thaw(fence);
    await kernel.runUntilQuiescent();
    expect(log).toEqual(['a@100']);
  });
});

describe('DeviceTimers: intervals', () => {
  it('setInterval fires every period until cleared; a 0 period is 1 ms', async () => {
    const { kernel, timers, log, note } = phone();
    const every30 = timers.setInterval(note('i'), 30);
    const every0 = timers.setInterval(note('z'), 0);
    // Scheduled first, these clears run before the ticks due at the same time.
    kernel.at(3, () => timers.clearInterval(every0));
    kernel.at(90, () => timers.clearInterval(every30));
    await kernel.runUntilQuiescent();
    expect(log).toEqual(['z@1', 'z@2', 'i@30', 'i@60']);
  });

  it('clearing an interval inside its own callback stops it', async () => {
    const { kernel, timers, log } = phone();
    let count = 0;
    const handle = timers.setInterval(() => {
      count++;
      log.push(`tick@${kernel.now}`);
      if (count === 3) timers.clearInterval(handle);
    }, 10);
    await expect(kernel.runUntilQuiescent(10_000)).resolves.toBe(true);
    expect(log).toEqual(['tick@10', 'tick@20', 'tick@30']);
  });
});

describe('DeviceTimers: ref and unref', () => {
  it('an unref’d interval does not keep the run alive, but runs while other work does', async () => {
    const { kernel, timers, log, note } = phone();
    const periodic = timers.setInterval(note('sync'), 20).unref();
    expect(periodic.hasRef()).toBe(false);
    timers.setTimeout(note('work'), 50);
    await expect(kernel.runUntilQuiescent()).resolves.toBe(true);
    expect(log).toEqual(['sync@20', 'sync@40', 'work@50']);
    expect(kernel.now).toBe(50);
  });

  it('an unref’d timeout alone leaves the run quiescent; ref() makes it count again', async () => {
    const { kernel, timers, log, note } = phone();
    const handle = timers.setTimeout(note('t'), 10).unref();
    await expect(kernel.runUntilQuiescent()).resolves.toBe(true);
    expect(log).toEqual([]);
    expect(handle.ref().hasRef()).toBe(true);
    await kernel.runUntilQuiescent();
    expect(log).toEqual(['t@10']);
  });

  it('an interval unref’d from inside its callback stays unref’d for later periods', async () => {
    const { kernel, timers, log } = phone();
    const handle = timers.setInterval(() => {
      log.push(`i@${kernel.now}`);
      handle.unref();
    }, 10);
    await expect(kernel.runUntilQuiescent()).resolves.toBe(true);
    expect(log).toEqual(['i@10']);
  });
});

describe('DeviceClock', () => {
  it('is virtual time plus skew, and the skew can change at run time', async () => {
    const kernel = new Kernel();
    const clock = new DeviceClock(kernel, 5_000);
    expect(clock.now()).toBe(5_000);
    await kernel.runUntil(1_000);
    expect(clock.now()).toBe(6_000);
    clock.skew = -2_000;
    expect(clock.now()).toBe(-1_000);
  });

  it('drifts by parts per million of elapsed virtual time, truncated to whole ms', async () => {
    const kernel = new Kernel();
    const fast = new DeviceClock(kernel, 0, 100);
    const slow = new DeviceClock(kernel, 10, -100);
    await kernel.runUntil(1_000_000);
    expect(fast.now()).toBe(1_000_100);
    expect(slow.now()).toBe(1_000_000 + 10 - 100);
    await kernel.runUntil(1_019_999);
    // 1_019_999 * 100 / 1e6 = 101.9999 → 101; the negative drift truncates toward zero too.
    expect(fast.now()).toBe(1_019_999 + 101);
    expect(slow.now()).toBe(1_019_999 + 10 - 101);
  });
});
