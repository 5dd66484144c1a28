import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvariantError, RandomStream, RandomStreams } from '../../src/kernel/index.ts';

const draw = (stream: RandomStream, n = 20) => Array.from({ length: n }, () => stream.next());

describe('RandomStreams', () => {
  it('same run seed and purpose give the same sequence', () => {
    expect(draw(new RandomStreams(42).stream('network'))).toEqual(draw(new RandomStreams(42).stream('network')));
    expect(draw(new RandomStreams('abc').stream('device:phone'))).toEqual(draw(new RandomStreams('abc').stream('device:phone')));
  });

  it('different purposes, or different seeds, give different sequences', () => {
    const streams = new RandomStreams(42);
    expect(draw(streams.stream('network'))).not.toEqual(draw(streams.stream('device:phone')));
    expect(draw(new RandomStreams(42).stream('network'))).not.toEqual(draw(new RandomStreams(43).stream('network')));
  });

  it('adding a stream, and drawing from it, does not change another stream', () => {
    const alone = new RandomStreams(7).stream('network');
    const aloneDraws = draw(alone, 10);

    const streams = new RandomStreams(7);
    const network = streams.stream('network');
    const interleaved: number[] = [];
    for (let i = 0; i < 10; i++) {
      const tablet = streams.stream(`device:tablet${i}`);
      tablet.next();
      tablet.int(0, 100);
      interleaved.push(network.next());
    }
    expect(interleaved).toEqual(aloneDraws);
  });

  it('next() stays in [0, 1)', () => {
    for (const x of draw(new RandomStream('s'), 1000)) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
    }
  });
});

describe('RandomStream', () => {
  it('property: int(min, max) stays in [min, max] and is an integer', () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: -1000, max: 1000 }), fc.nat(1000), (seed, min, span) => {
        const stream = new RandomStream(seed);
        for (let i = 0; i < 20; i++) {
          const x = stream.int(min, min + span);
          expect(Number.isInteger(x)).toBe(true);
          expect(x).toBeGreaterThanOrEqual(min);
          expect(x).toBeLessThanOrEqual(min + span);
        }
      }),
    );
  });

  it('int reaches both ends of a small range', () => {
    const stream = new RandomStream('ends');
    const seen = new Set(Array.from({ length: 200 }, () => stream.int(1, 3)));
    expect([...seen].sort()).toEqual([1, 2, 3]);
  });

  it('int refuses a bad range', () => {
    const stream = new RandomStream('bad');
    expect(() => stream.int(5, 4)).toThrow(InvariantError);
    expect(() => stream.int(0, 1.5)).toThrow(InvariantError);
  });

  it('chance(0) and chance(1) draw nothing, so turning a fault on or off changes no other choice', () => {
    const reference = new RandomStream('chance');
    const probed = new RandomStream('chance');
    expect(probed.chance(0)).toBe(false);
    expect(probed.chance(-1)).toBe(false);
    expect(probed.chance(1)).toBe(true);
    expect(draw(probed, 5)).toEqual(draw(reference, 5));
  });

  it('chance(p) for 0 < p < 1 draws one number and compares it with p', () => {
    const reference = new RandomStream('p');
    const probed = new RandomStream('p');
    const x = reference.next();
    expect(probed.chance(0.5)).toBe(x < 0.5);
    expect(probed.next()).toBe(reference.next());
  });

  it('pick chooses an item of the list and refuses an empty list', () => {
    const stream = new RandomStream('pick');
    const items = ['a', 'b', 'c'] as const;
    for (let i = 0; i < 50; i++) expect(items).toContain(stream.pick(items));
    expect(() => stream.pick([])).toThrow(InvariantError);
  });
});
