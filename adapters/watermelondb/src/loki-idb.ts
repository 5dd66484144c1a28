/**
 * Loki's persistence on the device's disk: lokijs's own IncrementalIndexedDBAdapter (the one
 * WatermelonDB picks with `useIncrementalIndexedDB: true`), unmodified, but bound to the
 * device's IndexedDB factory instead of the global `indexedDB`. The adapter's source reads
 * `indexedDB` and `IDBKeyRange` as free globals, and a device's disk is not a global: so the
 * file is compiled once, at module load, into a function of those two names, and each
 * incarnation evaluates it with its own factory.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/** What Loki asks of a persistence adapter (the part this package uses). */
export interface LokiPersistenceAdapter {
  mode?: string;
  loadDatabase(name: string, callback: (value: unknown) => void): void;
}

interface IncrementalAdapterClass {
  new (options?: Record<string, unknown>): LokiPersistenceAdapter;
}

type AdapterModuleFactory = (
  indexedDB: IDBFactory,
  IDBKeyRange: typeof globalThis.IDBKeyRange,
  module: { exports: unknown },
  exports: unknown,
) => void;

const require = createRequire(createRequire(import.meta.url).resolve('@nozbe/watermelondb/package.json'));
const SOURCE_PATH = require.resolve('lokijs/src/incremental-indexeddb-adapter.js');
// Module loading happens before any run starts, so this file read is not simulated I/O.
const compiled = new Function('indexedDB', 'IDBKeyRange', 'module', 'exports', readFileSync(SOURCE_PATH, 'utf8')) as AdapterModuleFactory;

/** A fresh IncrementalIndexedDBAdapter class whose IndexedDB is `factory`. */
export function incrementalAdapterClass(factory: IDBFactory, keyRange: typeof globalThis.IDBKeyRange): IncrementalAdapterClass {
  const module: { exports: unknown } = { exports: {} };
  compiled.call(undefined, factory, keyRange, module, module.exports);
  return module.exports as IncrementalAdapterClass;
}

/** The persistence adapter of one incarnation, over the device's disk. */
export function devicePersistence(factory: IDBFactory, keyRange: typeof globalThis.IDBKeyRange): LokiPersistenceAdapter {
  const Adapter = incrementalAdapterClass(factory, keyRange);
  return new Adapter({});
}
