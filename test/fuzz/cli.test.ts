import { describe, expect, it } from 'vitest';
import { parseShard } from '../../src/cli/fuzz.ts';
import { UsageError } from '../../src/cli/usage.ts';

describe('syncsim fuzz --shard', () => {
  it('reads i/n and refuses anything else', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    for (const bad of ['0/4', '5/4', '1/0', '1-4', 'x/y', '']) expect(() => parseShard(bad), bad).toThrow(UsageError);
  });
});
