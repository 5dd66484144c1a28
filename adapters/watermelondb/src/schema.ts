/**
 * The local table: one row per task, keyed by the task's clientId (the id the creating
 * device gave it), with the server's id and version for optimistic locking, and the LWW
 * `stamp` and `device` of the write the row holds.
 */
import { watermelon } from './library.ts';

const { appSchema, tableSchema, Model } = watermelon;

export const TABLE = 'tasks';

export const schema = appSchema({
  version: 1,
  tables: [
    tableSchema({
      name: TABLE,
      columns: [
        { name: 'title', type: 'string' },
        { name: 'completed', type: 'boolean' },
        { name: 'server_id', type: 'string', isOptional: true },
        { name: 'version', type: 'number' },
        { name: 'stamp', type: 'string' },
        { name: 'device', type: 'string' },
        { name: 'write', type: 'string', isOptional: true },
      ],
    }),
  ],
});

/** A task row as the adapter reads and writes it (the raw record, minus WatermelonDB's own fields). */
export interface TaskColumns {
  title: string;
  completed: boolean;
  server_id: string | null;
  version: number;
  stamp: string;
  device: string;
  write: string | null;
}

/** WatermelonDB's raw record: the columns plus its id and sync status. */
export interface TaskRaw extends TaskColumns {
  id: string;
  _status: 'synced' | 'created' | 'updated' | 'deleted' | 'disposable';
  _changed: string;
}

/** The model class: no decorators, the adapter reads and writes `_raw` through `_setRaw`. */
export class Task extends Model {
  static override table = TABLE;
}

export function rawOf(record: { _raw: unknown }): TaskRaw {
  return record._raw as TaskRaw;
}
