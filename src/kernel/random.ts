import seedrandom from 'seedrandom';
import { assert } from './assert.ts';

/** A seeded stream of random numbers for one purpose (the network, one device, ...). */
export class RandomStream {
  private readonly prng: () => number;

  constructor(readonly seed: string) {
    this.prng = seedrandom.alea(seed);
  }

  /** A float in [0, 1). */
  next(): number {
    return this.prng();
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    assert(Number.isInteger(min) && Number.isInteger(max) && min <= max, `bad range [${min}, ${max}]`);
    return min + Math.floor(this.prng() * (max - min + 1));
  }

  /** True with probability p; draws nothing when p is 0, so turning a fault off changes no other choice. */
  chance(p: number): boolean {
    if (p <= 0) return false;
    if (p >= 1) return true;
    return this.prng() < p;
  }

  pick<T>(items: readonly T[]): T {
    assert(items.length > 0, 'cannot pick from an empty list');
    return items[Math.floor(this.prng() * items.length)]!;
  }
}

/**
 * Splits one run seed into independent streams, one per purpose, so that adding a device
 * or a fault does not change the choices made for anything else.
 */
export class RandomStreams {
  constructor(readonly runSeed: number | string) {}

  stream(purpose: string): RandomStream {
    return new RandomStream(`syncsim:${this.runSeed}:${purpose}`);
  }
}
