/**
 * A second engine module of this package: the same adapter with `durableWrites` on, so a
 * write resolves only once Loki has saved it to IndexedDB. It isolates what the autosave
 * window hides in a campaign (every crash inside the window loses acknowledged writes).
 */
import { defineEngine } from 'syncsim';
import { WatermelonEngine } from './src/engine.ts';

export default defineEngine({
  name: 'watermelondb-durable',
  summary: 'the WatermelonDB adapter with a Loki save awaited before each write resolves',
  create: (ports) => new WatermelonEngine(ports, { durableWrites: true, conflicts: 'lww' }),
});
