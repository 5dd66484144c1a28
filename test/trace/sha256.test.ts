import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Sha256 } from '../../src/trace/sha256.ts';

const nodeHex = (parts: string[]) => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest('hex');
};

describe('Sha256', () => {
  it('matches the FIPS 180-4 test vectors', () => {
    expect(new Sha256().digest()).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(new Sha256().update('abc').digest()).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(new Sha256().update('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq').digest())
      .toBe('248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
  });

  it('matches node:crypto on random inputs fed in random pieces (unicode included)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary', maxLength: 200 }), { maxLength: 12 }), (parts) => {
        const ours = new Sha256();
        for (const part of parts) ours.update(part);
        expect(ours.digest()).toBe(nodeHex(parts));
      }),
      { numRuns: 500 },
    );
  });

  it('matches node:crypto at every length around the block and padding boundaries', () => {
    for (let length = 0; length < 200; length++) {
      const text = 'x'.repeat(length);
      expect(new Sha256().update(text).digest()).toBe(nodeHex([text]));
    }
  });

  it('copy() forks the state like node:crypto hash.copy()', () => {
    const hash = new Sha256().update('first line\n');
    const fork = hash.copy();
    expect(fork.digest()).toBe(nodeHex(['first line\n']));
    expect(hash.update('second').digest()).toBe(nodeHex(['first line\n', 'second']));
  });

  it('hashes a large input the same', () => {
    const big = Array.from({ length: 20_000 }, (_, i) => `{"seq":${i},"t":${i},"type":"x","title":"é ${i} 🚀"}\n`).join('');
    expect(new Sha256().update(big).digest()).toBe(nodeHex([big]));
  });
});
