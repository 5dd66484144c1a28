/**
 * The syncsim engine module (SPEC §3.1) over unmodified RxDB 17: `--engine adapters/rxdb`.
 */
import type { EngineModuleDescriptor } from 'syncsim';
import { RxdbEngine } from './src/engine.ts';
import { warmUpRxdb } from './src/warm-up.ts';

// Before any run: RxDB's once-per-process steps, so that no run is the process's first (src/warm-up.ts).
await warmUpRxdb();

const rxdb: EngineModuleDescriptor = {
  name: 'rxdb',
  summary: 'RxDB 17 (Dexie storage on the device IndexedDB), replicated to the §4 API: pull by cursor, batch push, LWW conflict handler',
  create: (ports) => new RxdbEngine(ports),
};

export default rxdb;
