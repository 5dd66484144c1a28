import FakeTimers from '@sinonjs/fake-timers';
import { Kernel } from '../src/kernel/index.ts';
import { bestOf, timed, type Figures } from './report.ts';

const EVENTS = 2_000_000;
const CHAINS = 1_000;

/** A plain event workload: 1,000 chains, each rescheduling itself at a pseudo-random delay. */
async function kernelRate(): Promise<number> {
  const kernel = new Kernel();
  let ran = 0;
  let x = 1;
  for (let i = 0; i < CHAINS; i++) {
    const tick = () => {
      ran++;
      if (ran < EVENTS) {
        x = (x * 1103515245 + 12345) & 0x7fffffff;
        kernel.schedule(x % 100, tick);
      }
    };
    kernel.schedule(i % 7, tick);
  }
  const ms = await timed(() => kernel.runUntilQuiescent().then(() => undefined));
  return (kernel.eventsRun / ms) * 1000;
}

/** The same workload on a @sinonjs/fake-timers clock driven by next(): the alternative we measured. */
async function fakeTimersRate(): Promise<number> {
  const clock = FakeTimers.createClock(0, Number.MAX_SAFE_INTEGER);
  const events = EVENTS / 4;
  let ran = 0;
  let x = 1;
  for (let i = 0; i < CHAINS; i++) {
    const tick = () => {
      ran++;
      if (ran < events) {
        x = (x * 1103515245 + 12345) & 0x7fffffff;
        clock.setTimeout(tick, x % 100);
      }
    };
    clock.setTimeout(tick, i % 7);
  }
  const ms = await timed(() => {
    while (clock.countTimers() > 0) clock.next();
  });
  return (ran / ms) * 1000;
}

/** Async events: each one awaits a few promises, so the kernel drains microtasks after each. */
async function asyncRate(): Promise<number> {
  const kernel = new Kernel();
  const total = 200_000;
  let ran = 0;
  const tick = async () => {
    ran++;
    await Promise.resolve();
    if (ran < total) kernel.schedule(1, () => void tick(), { async: true });
  };
  for (let i = 0; i < 10; i++) kernel.schedule(0, () => void tick(), { async: true });
  const ms = await timed(() => kernel.runUntilQuiescent().then(() => undefined));
  return (kernel.eventsRun / ms) * 1000;
}

export async function benchKernel(): Promise<Figures> {
  return {
    'kernel.events_per_s': { value: Math.round(await bestOf(3, kernelRate)), unit: 'events/s' },
    'kernel.async_events_per_s': { value: Math.round(await bestOf(3, asyncRate)), unit: 'events/s' },
    'kernel.fake_timers_events_per_s': { value: Math.round(await bestOf(3, fakeTimersRate)), unit: 'events/s' },
  };
}
