import { PGlite } from '@electric-sql/pglite';

/**
 * The schema. Every change of a user's tasks takes the next number of that user's change
 * sequence (`users.change_seq`, bumped by an UPDATE inside the write's transaction, so two
 * writers of one user queue on that row in a real Postgres), is logged in `changes`, and is
 * stamped on the task (`tasks.seq`): a delta page is "tasks whose latest change is after
 * the cursor", in change order.
 */
const SCHEMA = `
create table if not exists users (
  name text primary key,
  change_seq bigint not null default 0,
  last_change_at timestamptz,
  -- kept beside the rows so a quota check costs one row, not a count over the tasks
  live_tasks integer not null default 0,
  live_bytes bigint not null default 0
);
create table if not exists tokens (
  token text primary key,
  user_name text not null references users(name)
);
create sequence if not exists task_ids;
create table if not exists tasks (
  id text primary key,
  user_name text not null references users(name),
  client_id text not null,
  title text not null,
  completed boolean not null,
  stamp text not null,
  device text not null,
  version integer not null,
  deleted boolean not null default false,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  write text,
  seq bigint not null,
  unique (user_name, client_id)
);
create index if not exists tasks_by_change on tasks (user_name, seq);
create table if not exists changes (
  user_name text not null references users(name),
  seq bigint not null,
  task_id text not null references tasks(id),
  changed_at timestamptz not null,
  primary key (user_name, seq)
);
create index if not exists changes_by_time on changes (user_name, changed_at);
create table if not exists idempotency_keys (
  user_name text not null references users(name),
  key text not null,
  fingerprint text not null,
  status integer not null,
  reply jsonb not null,
  created_at timestamptz not null default now(),
  primary key (user_name, key)
);
`;

/**
 * Opens (or creates) the database in `dataDir` (in memory when null) and registers the
 * users. bigint columns come back as JS numbers: change sequences stay far below 2^53.
 */
export async function openDatabase(dataDir, users) {
  const db = await PGlite.create(dataDir ?? undefined, { parsers: { 20: (text) => Number(text) } });
  await db.exec(SCHEMA);
  await db.transaction(async (tx) => {
    for (const { name, token } of users) {
      await tx.query('insert into users (name) values ($1) on conflict do nothing', [name]);
      const owner = await tx.query('insert into tokens (token, user_name) values ($1, $2) on conflict (token) do update set token = excluded.token returning user_name', [token, name]);
      if (owner.rows[0].user_name !== name) throw new Error(`token of ${name} already belongs to ${owner.rows[0].user_name}`);
    }
  });
  return db;
}

/** The user a bearer token names, or undefined. */
export async function userOfToken(db, token) {
  const found = await db.query('select user_name from tokens where token = $1', [token]);
  return found.rows[0]?.user_name;
}

/** Empties every user's tasks, change log and keys; users and tokens stay. */
export async function resetDatabase(db) {
  await db.transaction(async (tx) => {
    await tx.exec('truncate idempotency_keys, changes, tasks');
    await tx.exec('update users set change_seq = 0, last_change_at = null, live_tasks = 0, live_bytes = 0');
    await tx.exec('alter sequence task_ids restart with 1');
  });
}
