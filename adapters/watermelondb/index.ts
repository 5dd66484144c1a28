/** The engine module (SPEC §3.1): WatermelonDB 0.28 with LokiJS, persisted to the device's IndexedDB. */
import { defineEngine } from 'syncsim';
import { WatermelonEngine } from './src/engine.ts';

export default defineEngine({
  name: 'watermelondb',
  summary: 'WatermelonDB 0.28 (LokiJS, autosaved to IndexedDB every 500 ms) synced with synchronize() to the §4 API',
  create: (ports) => new WatermelonEngine(ports),
});
