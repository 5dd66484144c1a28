/**
 * The task as RxDB stores it on a device: one document per task, keyed by the creating
 * device's id (the clientId), with the server's id and version once known and the LWW stamp
 * of the write it holds. RxDB's own `_deleted` flag is the tombstone.
 */
import type { RxJsonSchema, WithDeleted } from 'rxdb';

export interface TaskDoc {
  /** The clientId: the id `create` returned on the creating device; the primary key everywhere. */
  id: string;
  /** The server's task id; '' until this device has heard it. */
  serverId: string;
  title: string;
  completed: boolean;
  /** The server version this document was last seen at (0: never on the server, as far as we know). */
  version: number;
  /** Last-write-wins stamp of the write this document holds (fixed width, compares as a string). */
  stamp: string;
  /** The device that made that write: breaks stamp ties, as the server does. */
  device: string;
  /** The harness's write label of that write ('' when unknown). */
  write: string;
}

export type TaskState = WithDeleted<TaskDoc>;

export const TASK_SCHEMA: RxJsonSchema<TaskDoc> = {
  title: 'syncsim task',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 200 },
    serverId: { type: 'string' },
    title: { type: 'string' },
    completed: { type: 'boolean' },
    version: { type: 'integer' },
    stamp: { type: 'string' },
    device: { type: 'string' },
    write: { type: 'string' },
  },
  required: ['id', 'serverId', 'title', 'completed', 'version', 'stamp', 'device', 'write'],
};

const FIELDS = ['id', 'serverId', 'title', 'completed', 'version', 'stamp', 'device', 'write', '_deleted'] as const;

/** Only the task's own fields (RxDB hands documents with `_meta`, `_rev`, `_attachments`). */
export function plainState(doc: TaskState): TaskState {
  return {
    id: doc.id, serverId: doc.serverId, title: doc.title, completed: doc.completed, version: doc.version,
    stamp: doc.stamp, device: doc.device, write: doc.write, _deleted: doc._deleted,
  };
}

/** Field by field over the task's own fields: RxDB's meta fields never make two states differ. */
export function sameState(a: TaskState, b: TaskState): boolean {
  return FIELDS.every((field) => a[field] === b[field]);
}
