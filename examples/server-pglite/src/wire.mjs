/**
 * A task row as it travels on the wire: both dialects of SPEC §4 at once. `completed` and
 * the design's `isCompleted` side by side, ISO-8601 timestamps, and syncsim's extensions
 * (`stamp`, `device`, `write`) only when they hold something.
 */
export function wireTask(row) {
  const task = {
    id: row.id,
    clientId: row.client_id,
    title: row.title,
    completed: row.completed,
    isCompleted: row.completed,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    version: row.version,
    stamp: row.stamp,
    deleted: row.deleted,
  };
  if (row.device !== '') task.device = row.device;
  if (row.write !== null) task.write = row.write;
  return task;
}

/** A Date (or what Postgres gave) as ISO-8601 in UTC with milliseconds. */
export function iso(value) {
  return (value instanceof Date ? value : new Date(value)).toISOString();
}
