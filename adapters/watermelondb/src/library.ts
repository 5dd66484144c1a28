/**
 * The parts of WatermelonDB 0.28 this adapter uses, loaded once at module load (module
 * loading is real I/O and must happen before a run starts). The package is CommonJS with
 * `exports.default`, so it is required directly and typed from its own declarations.
 */
import { createRequire } from 'node:module';

type Watermelon = typeof import('@nozbe/watermelondb');
type LokiAdapterModule = typeof import('@nozbe/watermelondb/adapters/lokijs/index.js');
type SyncModule = typeof import('@nozbe/watermelondb/sync/index.js');

const require = createRequire(import.meta.url);

export const watermelon = require('@nozbe/watermelondb') as Watermelon;
export const LokiJSAdapter = (require('@nozbe/watermelondb/adapters/lokijs') as LokiAdapterModule).default;
export const { synchronize, hasUnsyncedChanges } = require('@nozbe/watermelondb/sync') as SyncModule;

const logger = (require('@nozbe/watermelondb/utils/common/logger') as { default: { silence(): void } }).default;
const randomId = require('@nozbe/watermelondb/utils/common/randomId') as { setGenerator(generator: () => string): void };

// The `[🍉]` logger prints sync diagnostics to the console; a run's output is the trace.
logger.silence();

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/**
 * WatermelonDB keeps a process-wide buffer of random bytes for its ids, which would carry
 * one run's (or one device's) randomness into the next. Its ids are drawn from the
 * current device's `Math.random` instead (seeded per device during a run). The adapter
 * names its own rows anyway; this covers any id the library makes itself.
 */
randomId.setGenerator(() => {
  let id = '';
  for (let i = 0; i < 16; i++) id += ALPHABET[Math.floor(Math.random() * ALPHABET.length)];
  return id;
});

export function idFrom(random: () => number): string {
  let id = '';
  for (let i = 0; i < 16; i++) id += ALPHABET[Math.floor(random() * ALPHABET.length)];
  return id;
}
