import { describe, expect, it } from 'vitest';
import { diskName, incarnationName, renamingFactory } from '../src/disk-names.ts';

describe('database names', () => {
  it('every incarnation of a device has its own RxDB name and the same name on disk', () => {
    const first = incarnationName('phone-2', 0, 1);
    const later = incarnationName('phone-2', 3, 4);
    expect(first).not.toBe(later);
    expect(diskName(`rxdb-dexie-${first}--0--tasks`)).toBe('rxdb-dexie-syncsim-phone-2--0--tasks');
    expect(diskName(`rxdb-dexie-${later}--0--tasks`)).toBe('rxdb-dexie-syncsim-phone-2--0--tasks');
    expect(diskName('other')).toBe('other');
  });

  it('the factory opens and deletes the disk names', () => {
    const calls: string[] = [];
    const disk = {
      open: (name: string, version?: number) => calls.push(`open ${name} ${version}`),
      deleteDatabase: (name: string) => calls.push(`delete ${name}`),
      databases: async () => [],
      cmp: () => 0,
    } as unknown as IDBFactory;
    const factory = renamingFactory(disk);
    factory.open(`rxdb-dexie-${incarnationName('mac', 1, 2)}--0--x`, 3);
    factory.deleteDatabase(`rxdb-dexie-${incarnationName('mac', 1, 2)}--0--x`);
    expect(calls).toEqual(['open rxdb-dexie-syncsim-mac--0--x 3', 'delete rxdb-dexie-syncsim-mac--0--x']);
  });
});
