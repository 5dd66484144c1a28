#!/usr/bin/env node
// The example backend: node server.mjs [--port N] [--host H] [--data DIR] [--user name:token ...]
//   [--admin-secret S] [--max-tasks N] [--max-bytes N] [--max-reply-bytes N] [--header-timeout MS]
import { parseArgs } from 'node:util';
import { openDatabase } from './src/db.mjs';
import { startHttpServer } from './src/http.mjs';

const usage = 'usage: node server.mjs [--port N] [--host 127.0.0.1] [--data DIR] [--user name:token ...] [--admin-secret S] [--max-tasks N] [--max-bytes N] [--max-reply-bytes N] [--header-timeout MS]';

function fail(message) {
  process.stderr.write(`server-pglite: ${message}\n${usage}\n`);
  process.exit(2);
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      port: { type: 'string', default: '8787' },
      host: { type: 'string', default: '127.0.0.1' },
      data: { type: 'string' },
      user: { type: 'string', multiple: true },
      'admin-secret': { type: 'string' },
      'max-tasks': { type: 'string', default: '100000' },
      'max-bytes': { type: 'string', default: String(64 * 1024 * 1024) },
      'max-reply-bytes': { type: 'string', default: String(8 * 1024 * 1024) },
      'header-timeout': { type: 'string', default: '10000' },
      help: { type: 'boolean' },
    },
  }));
} catch (error) {
  fail(error.message);
}
if (values.help) {
  process.stdout.write(`${usage}\n`);
  process.exit(0);
}

const integer = (name, min) => {
  const text = values[name];
  const n = /^\d{1,15}$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min) fail(`--${name} must be an integer of at least ${min}, got "${text}"`);
  return n;
};
const port = integer('port', 0);
const users = (values.user ?? ['demo:demo-token']).map((pair) => {
  const at = pair.indexOf(':');
  if (at <= 0 || at === pair.length - 1) fail(`--user must be name:token, got "${pair}"`);
  return { name: pair.slice(0, at), token: pair.slice(at + 1) };
});
const limits = { maxTasks: integer('max-tasks', 0), maxBytes: integer('max-bytes', 0), maxReplyBytes: integer('max-reply-bytes', 1024) };
const log = (line) => process.stderr.write(`server-pglite: ${line}\n`);

try {
  const db = await openDatabase(values.data ?? null, users);
  const server = await startHttpServer(db, { port, host: values.host, adminSecret: values['admin-secret'] ?? null, limits, headerTimeoutMs: integer('header-timeout', 100), log });
  const address = server.address();
  process.stdout.write(`server-pglite listening on http://${values.host}:${address.port} (users: ${users.map((u) => u.name).join(', ')}; data: ${values.data ?? 'in memory'})\n`);
  const stop = () => server.close(() => db.close().then(() => process.exit(0)));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
} catch (error) {
  fail(error.code === 'EADDRINUSE' ? `port ${port} is in use` : String(error.message ?? error));
}
