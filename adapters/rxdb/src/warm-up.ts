/**
 * RxDB and its Dexie storage do some things only the first time in a process: the first
 * storage write awaits a premium-flag check (and prints the "Open Core" notice), the first
 * collection installs hooks. Those extra steps shift the order of concurrent promise chains
 * inside a simulated event, so the process's first run could differ from a later one. So the
 * engine module makes them happen once, when it is loaded — before any run — on a throwaway
 * database. (This does not remove every dependence on what ran before: see
 * docs/analyses/rxdb.md, "Determinism".)
 */
import { createHash } from 'node:crypto';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { createRxDatabase } from 'rxdb';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { lwwConflictHandler } from './lww.ts';
import { TASK_SCHEMA } from './task-doc.ts';

export async function warmUpRxdb(): Promise<void> {
  const database = await createRxDatabase({
    name: 'syncsim-warm-up',
    storage: getRxStorageDexie({ indexedDB: new IDBFactory(), IDBKeyRange }),
    multiInstance: false,
    hashFunction: (input) => Promise.resolve(createHash('sha256').update(String(input)).digest('hex')),
  });
  const { tasks } = await database.addCollections({ tasks: { schema: TASK_SCHEMA, conflictHandler: lwwConflictHandler } });
  const doc = await tasks.insert({ id: 'warm-up', serverId: '', title: '', completed: false, version: 0, stamp: '', device: '', write: '' });
  await doc.incrementalPatch({ title: 'warm' });
  await tasks.find().exec();
  await database.close();
}
