import { createHash } from 'node:crypto';
import * as nodeCrypto from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { connect } from 'node:net';
import * as timers from 'node:timers';
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { DeterminismViolation, Fence, Kernel, RandomStream, type NodeWorld } from '../../src/kernel/index.ts';

/** A kernel with two devices: phone's clock is an hour ahead, tablet's a minute behind. */
function twoDevices() {
  const kernel = new Kernel();
  const device = (name: string, skew: number, seed: string): Fence => {
    const fence = new Fence(`${name}#1`);
    const stream = new RandomStream(seed);
    const world: NodeWorld = { now: () => kernel.now + skew, random: () => stream.next() };
    fence.world = world;
    return fence;
  };
  return { kernel, phone: device('phone', 3_600_000, 'phone'), tablet: device('tablet', -60_000, 'tablet') };
}

describe('virtual globals: the clock', () => {
  it('Date.now, new Date() and Date() read the clock of the device whose event runs; without one, virtual time', async () => {
    const { kernel, phone, tablet } = twoDevices();
    const seen: Array<[string, number]> = [];
    kernel.at(1_000, () => seen.push(['phone', Date.now()], ['phone-new', new Date().getTime()]), { fence: phone });
    kernel.at(2_000, () => seen.push(['tablet', Date.now()], ['tablet-string', Date.parse(Date())]), { fence: tablet });
    kernel.at(3_000, () => seen.push(['harness', Date.now()], ['performance', performance.now()]));
    await kernel.runUntilQuiescent();
    expect(seen).toEqual([
      ['phone', 3_601_000], ['phone-new', 3_601_000],
      ['tablet', -58_000], ['tablet-string', -58_000],
      ['harness', 3_000], ['performance', 3_000],
    ]);
  });

  it('a promise continuation runs as the device that awaited, even when another device settles the promise', async () => {
    const { kernel, phone, tablet } = twoDevices();
    let settle!: () => void;
    const shared = new Promise<void>((resolve) => (settle = resolve));
    const seen: string[] = [];
    kernel.at(10, () => void shared.then(() => seen.push(`phone continuation at ${Date.now()} as ${kernel.currentFence?.name}`)), { fence: phone, async: true });
    kernel.at(20, () => settle(), { fence: tablet, async: true });
    await kernel.runUntilQuiescent();
    expect(seen).toEqual(['phone continuation at 3600020 as phone#1']);
  });

  it('new Date with arguments, Date.UTC, Date.parse and instanceof are the real ones', async () => {
    const { kernel, phone } = twoDevices();
    const made: unknown[] = [];
    kernel.at(1, () => {
      const d = new Date(0);
      made.push(d.getTime(), Date.UTC(2024, 0, 2), Date.parse('2024-01-02T00:00:00Z'), d instanceof Date, new Date() instanceof Date, typeof Date());
    }, { fence: phone });
    await kernel.runUntilQuiescent();
    expect(made).toEqual([0, Date.UTC(2024, 0, 2), Date.UTC(2024, 0, 2), true, true, 'string']);
  });

  it('local time is UTC inside a run whatever the machine’s time zone, and the zone is restored after', async () => {
    const saved = process.env.TZ;
    process.env.TZ = 'Asia/Tokyo';
    try {
      const kernel = new Kernel();
      const seen: unknown[] = [];
      kernel.at(0, () => seen.push(new Date(0).getHours(), new Date(0).getTimezoneOffset()));
      await kernel.runUntilQuiescent();
      expect(seen).toEqual([0, 0]);
      expect(new Date(0).getHours()).toBe(9);
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });

  it('process.hrtime is virtual elapsed time', async () => {
    const kernel = new Kernel();
    const seen: unknown[] = [];
    kernel.at(1_500, () => seen.push(process.hrtime.bigint(), process.hrtime(), process.hrtime([1, 0])));
    await kernel.runUntilQuiescent();
    expect(seen).toEqual([1_500_000_000n, [1, 500_000_000], [0, 500_000_000]]);
  });
});

describe('virtual globals: timers', () => {
  it('setTimeout is the device timer: passes arguments, is fenced by a crash and held while the app is suspended', async () => {
    const { kernel, phone, tablet } = twoDevices();
    const log: string[] = [];
    kernel.at(0, () => {
      setTimeout((a: string, b: number) => log.push(`phone ${a}${b} at ${kernel.now}`), 100, 'x', 1);
    }, { fence: phone });
    kernel.at(0, () => void setTimeout(() => log.push('tablet dead'), 100), { fence: tablet });
    kernel.at(50, () => tablet.close());
    await kernel.runUntil(1_000);
    expect(log).toEqual(['phone x1 at 100']);

    kernel.at(1_000, () => void setTimeout(() => log.push(`held until ${kernel.now}`), 10), { fence: phone });
    kernel.at(1_005, () => (phone.frozen = true));
    await kernel.runUntil(2_000);
    expect(log).toHaveLength(1);
    kernel.thaw(phone);
    await kernel.runUntil(2_000);
    expect(log).toEqual(['phone x1 at 100', 'held until 2000']);
  });

  it('clearTimeout takes the handle or the handle as a number, as browser code keeps it', async () => {
    const kernel = new Kernel();
    const log: string[] = [];
    kernel.at(0, () => {
      const a = setTimeout(() => log.push('a'), 10);
      const b = setTimeout(() => log.push('b'), 10);
      const c = setTimeout(() => log.push('c'), 10);
      clearTimeout(a);
      clearTimeout(Number(b) as unknown as NodeJS.Timeout);
      expect(typeof Number(c)).toBe('number');
    });
    await kernel.runUntil(100);
    expect(log).toEqual(['c']);
  });

  it("refresh() starts a timer over from now, and runs one that had fired again; close() clears it — as Node's Timeout", async () => {
    const kernel = new Kernel();
    const log: string[] = [];
    kernel.at(0, () => {
      const idle = setTimeout(() => log.push(`idle at ${kernel.now}`), 100);
      kernel.at(60, () => void idle.refresh()); // activity: the idle timer starts over
      const once = setTimeout(() => {
        log.push(`once at ${kernel.now}`);
        if (kernel.now < 100) kernel.at(kernel.now + 20, () => void once.refresh());
      }, 50);
      const closed = setTimeout(() => log.push('closed ran'), 10);
      closed.close();
      kernel.at(30, () => void closed.refresh()); // a cleared timer stays cleared
      const numbered = setTimeout(() => log.push('numbered ran'), 30);
      const id = Number(numbered);
      kernel.at(40, () => {
        numbered.refresh(); // fired at 30; armed again for 70 — and still clearable by its number
        clearTimeout(id as unknown as NodeJS.Timeout);
      });
    });
    await kernel.runUntil(1_000);
    expect(log).toEqual(['numbered ran', 'once at 50', 'once at 120', 'idle at 160']);
  });

  it('AbortSignal.timeout aborts at virtual time with a TimeoutError, on the device’s fenced timers', async () => {
    const { kernel, phone, tablet } = twoDevices();
    const log: string[] = [];
    kernel.at(0, () => {
      const signal = AbortSignal.timeout(5_000);
      signal.addEventListener('abort', () => log.push(`phone aborted at ${kernel.now}: ${(signal.reason as DOMException).name}`));
      expect(() => AbortSignal.timeout(-1)).toThrow(RangeError);
    }, { fence: phone });
    kernel.at(0, () => {
      const signal = AbortSignal.timeout(1_000);
      signal.addEventListener('abort', () => log.push('tablet aborted'));
    }, { fence: tablet });
    kernel.at(500, () => tablet.close()); // a crash takes its pending timers with it
    await kernel.runUntil(60_000);
    expect(log).toEqual(['phone aborted at 5000: TimeoutError']);
    expect(AbortSignal.timeout).not.toBe(undefined);
  });

  it('performance.timeOrigin + performance.now() is the device’s Date.now()', async () => {
    const { kernel, phone } = twoDevices();
    const seen: number[] = [];
    kernel.at(2_500, () => seen.push(performance.timeOrigin + performance.now(), Date.now()), { fence: phone });
    await kernel.runUntilQuiescent();
    expect(seen[0]).toBe(seen[1]);
    expect(Math.abs(performance.timeOrigin - Date.now())).toBeLessThan(24 * 3_600_000 * 365); // the real one outside the run
  });

  it('timers set through the globals do not keep the run alive; immediates do', async () => {
    const kernel = new Kernel();
    const log: string[] = [];
    kernel.at(0, () => {
      setTimeout(() => log.push('timeout'), 5_000);
      setInterval(() => log.push('interval'), 1_000);
      setImmediate(() => log.push('immediate'));
    });
    expect(await kernel.runUntilQuiescent()).toBe(true);
    expect(log).toEqual(['immediate']);
    await kernel.runUntil(5_000);
    // At 5,000 the timeout, set at 0, comes before the interval's fifth turn, armed at 4,000.
    expect(log).toEqual(['immediate', 'interval', 'interval', 'interval', 'interval', 'timeout', 'interval']);
  });

  it('setInterval repeats until cleared', async () => {
    const kernel = new Kernel();
    const at: number[] = [];
    kernel.at(0, () => {
      const handle = setInterval(() => {
        at.push(kernel.now);
        if (at.length === 3) clearInterval(handle);
      }, 250);
    });
    await kernel.runUntil(10_000);
    expect(at).toEqual([250, 500, 750]);
  });

  it("node:timers and timers/promises are the virtual timers inside a run", async () => {
    const kernel = new Kernel();
    const log: number[] = [];
    kernel.at(0, () => {
      timers.setTimeout(() => log.push(kernel.now), 40);
      void sleep(70).then(() => log.push(kernel.now));
    }, { async: true });
    await kernel.runUntil(1_000);
    expect(log).toEqual([40, 70]);
  });

  it('a callback that is not a function is a TypeError, as in Node', async () => {
    const kernel = new Kernel();
    let caught: unknown = null;
    kernel.at(0, () => {
      try {
        setTimeout('alert(1)' as unknown as () => void, 1);
      } catch (error) {
        caught = error;
      }
    });
    await kernel.runUntilQuiescent();
    expect(caught).toBeInstanceOf(TypeError);
  });
});

describe('virtual globals: randomness and crypto', () => {
  async function draws(seed: string): Promise<unknown[]> {
    const kernel = new Kernel();
    const fence = new Fence('phone#1');
    const stream = new RandomStream(seed);
    fence.world = { now: () => kernel.now, random: () => stream.next() };
    const out: unknown[] = [];
    kernel.at(0, () => {
      out.push(Math.random(), crypto.randomUUID(), Array.from(crypto.getRandomValues(new Uint8Array(4))));
      out.push(nodeCrypto.randomUUID(), nodeCrypto.randomBytes(4).toString('hex'), nodeCrypto.randomInt(10));
    }, { fence });
    await kernel.runUntilQuiescent();
    return out;
  }

  it('Math.random, crypto.randomUUID, getRandomValues and node:crypto draw from the device stream: same seed, same values', async () => {
    const first = await draws('a');
    expect(await draws('a')).toEqual(first);
    expect(await draws('b')).not.toEqual(first);
    expect(first[1]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('the real randomness is back outside a run', async () => {
    await draws('a');
    expect(crypto.randomUUID()).not.toBe(crypto.randomUUID());
    expect(Object.hasOwn(crypto, 'randomUUID')).toBe(false);
  });

  it('crypto.subtle.digest settles inside the event that asked, with the right hash', async () => {
    const kernel = new Kernel();
    const seen: string[] = [];
    kernel.at(0, () => {
      void crypto.subtle.digest('SHA-256', new TextEncoder().encode('abc')).then((buffer) => seen.push(Buffer.from(buffer).toString('hex')));
    }, { async: true });
    kernel.at(0, () => seen.push('next event'));
    await kernel.runUntilQuiescent();
    expect(seen).toEqual([createHash('sha256').update('abc').digest('hex'), 'next event']);
  });
});

describe('virtual globals: what cannot be virtualised fails the run, naming it', () => {
  const refused: Array<[string, () => unknown]> = [
    ['fetch', () => fetch('http://127.0.0.1:1/')],
    ['BroadcastChannel', () => new BroadcastChannel('x')],
    ['MessageChannel', () => new MessageChannel()],
    ['fs.promises.readFile', () => readFile('/etc/hostname')],
    ['net.connect', () => connect(1, '127.0.0.1')],
    ['worker_threads.Worker', () => new Worker('void 0', { eval: true })],
    ['crypto.subtle.encrypt', () => crypto.subtle.encrypt('AES-GCM' as never, null as never, new Uint8Array(1))],
  ];

  it.each(refused)('%s', async (name, use) => {
    const kernel = new Kernel();
    kernel.at(1, () => {
      void (async () => {
        await Promise.resolve();
        try {
          await use();
        } catch {
          // Swallowed by the library: the run fails all the same.
        }
      })();
    }, { async: true });
    const failure = kernel.runUntilQuiescent();
    await expect(failure).rejects.toThrow(DeterminismViolation);
    await expect(failure).rejects.toThrow(name);
  });

  it('outside a run the same functions are the real ones', async () => {
    expect(await readFile('/proc/self/status', 'utf8')).toMatch(/^Name:/);
    expect(readFileSync('/proc/self/status', 'utf8')).toMatch(/^Name:/);
  });

  it('code that is not simulated keeps the real clock while a run is in progress', async () => {
    const kernel = new Kernel();
    let outside = 0;
    // A real timer set before the run fires during one of the kernel's trips through the event loop.
    const real = setImmediate(() => (outside = Date.now()));
    kernel.at(1, () => void Promise.resolve(), { async: true });
    kernel.at(2, () => {});
    await kernel.runUntilQuiescent();
    clearImmediate(real);
    expect(outside).toBeGreaterThan(1_600_000_000_000);
  });

  it('restores every global after a run, even a failed one', async () => {
    const before = { Date, setTimeout, setImmediate, random: Math.random, now: performance.now, hrtime: process.hrtime, fetch: globalThis.fetch };
    const kernel = new Kernel();
    kernel.at(1, () => void fetch('http://127.0.0.1:1/').catch(() => {}));
    await expect(kernel.runUntilQuiescent()).rejects.toThrow(DeterminismViolation);
    expect({ Date, setTimeout, setImmediate, random: Math.random, now: performance.now, hrtime: process.hrtime, fetch: globalThis.fetch }).toEqual(before);
    expect(Date.now()).toBeGreaterThan(1_600_000_000_000);
  });
});
