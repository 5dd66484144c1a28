import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { virtualClock } from '../kernel/index.ts';

/**
 * fake-indexeddb, loaded so that its one read of the real clock — every event it creates
 * is stamped with `Date.now()` — reads virtual time instead. In its CommonJS build each
 * module requires the event class; the cached module is replaced by a wrapper before the
 * rest of the library loads, so every use (subclasses included) goes through it.
 */
const require = createRequire(import.meta.url);
const eventPath = join(dirname(require.resolve('fake-indexeddb')), 'lib', 'FakeEvent.js');
const FakeEvent = require(eventPath) as new (...args: unknown[]) => object;
const cached = require.cache[eventPath];
if (cached === undefined || typeof FakeEvent !== 'function') throw new Error(`unexpected fake-indexeddb layout at ${eventPath}`);
cached.exports = class VirtuallyStampedEvent extends FakeEvent {
  constructor(...args: unknown[]) {
    virtualClock.enter();
    try {
      super(...args);
    } finally {
      virtualClock.leave();
    }
  }
};

const fakeIndexedDB = require('fake-indexeddb') as { IDBFactory: new () => IDBFactory; IDBKeyRange: typeof IDBKeyRange };

export const FakeIDBFactory = fakeIndexedDB.IDBFactory;
export const FakeIDBKeyRange = fakeIndexedDB.IDBKeyRange;
