/**
 * A third engine module of this package: the adapter without its conflict resolver, so
 * WatermelonDB's own merge decides (per column: the columns changed on this device beat
 * the server's). It shows what a team that keeps the library's default gets.
 */
import { defineEngine } from 'syncsim';
import { WatermelonEngine } from './src/engine.ts';

export default defineEngine({
  name: 'watermelondb-library-merge',
  summary: "the WatermelonDB adapter with WatermelonDB's default per-column merge instead of LWW by stamp",
  create: (ports) => new WatermelonEngine(ports, { durableWrites: false, conflicts: 'library' }),
});
