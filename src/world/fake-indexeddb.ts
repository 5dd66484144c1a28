import { createRequire } from 'node:module';
import { installCursorSeek, type CursorPrototype } from './cursor-seek.ts';

/**
 * fake-indexeddb, the devices' disk. Its one read of the clock (every event it creates is
 * stamped with `Date.now()`) and its scheduling (`setImmediate`, looked up at each call)
 * go through the virtual globals, so inside a run both are the device's.
 */
const require = createRequire(import.meta.url);
const fakeIndexedDB = require('fake-indexeddb') as {
  IDBFactory: new () => IDBFactory;
  IDBKeyRange: typeof IDBKeyRange;
  IDBCursor: { prototype: CursorPrototype };
};

// Cursor steps start at the cursor's position (see cursor-seek.ts: without it a scan is quadratic).
const keyOrder = new fakeIndexedDB.IDBFactory();
installCursorSeek(fakeIndexedDB.IDBCursor.prototype, fakeIndexedDB.IDBKeyRange as never, (a, b) => keyOrder.cmp(a, b));

export const FakeIDBFactory = fakeIndexedDB.IDBFactory;
export const FakeIDBKeyRange = fakeIndexedDB.IDBKeyRange;
/** fake-indexeddb's cursor prototype (for the test that compares patched and original steps). */
export const FakeIDBCursorPrototype = fakeIndexedDB.IDBCursor.prototype;
