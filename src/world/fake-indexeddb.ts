import { createRequire } from 'node:module';

/**
 * fake-indexeddb, the devices' disk. Its one read of the clock (every event it creates is
 * stamped with `Date.now()`) and its scheduling (`setImmediate`, looked up at each call)
 * go through the virtual globals, so inside a run both are the device's.
 */
const require = createRequire(import.meta.url);
const fakeIndexedDB = require('fake-indexeddb') as { IDBFactory: new () => IDBFactory; IDBKeyRange: typeof IDBKeyRange };

export const FakeIDBFactory = fakeIndexedDB.IDBFactory;
export const FakeIDBKeyRange = fakeIndexedDB.IDBKeyRange;
