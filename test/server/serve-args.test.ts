import { describe, expect, it } from 'vitest';
import { parseUsers } from '../../src/cli/serve.ts';
import { UsageError } from '../../src/cli/usage.ts';

describe('syncsim serve --user', () => {
  it('defaults to the demo user', () => {
    expect(parseUsers([])).toEqual([{ name: 'demo', token: 'demo-token' }]);
  });

  it('splits name:token at the first colon', () => {
    expect(parseUsers(['alice:tok-a', 'bob:x:y'])).toEqual([
      { name: 'alice', token: 'tok-a' },
      { name: 'bob', token: 'x:y' },
    ]);
  });

  it.each([['alice'], [':tok'], ['alice:'], ['al ice:tok'], ['alice:t k']])('rejects "%s" as a usage error', (spec) => {
    expect(() => parseUsers([spec])).toThrow(UsageError);
  });

  it('rejects a repeated name or token', () => {
    expect(() => parseUsers(['a:1', 'a:2'])).toThrow(/given twice/);
    expect(() => parseUsers(['a:1', 'b:1'])).toThrow(/already used/);
  });
});
