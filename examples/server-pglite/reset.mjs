#!/usr/bin/env node
// The `--reset` command of syncsim's run/fuzz --server: empties the backend's tables and
// returns once it answers with an empty store. Usage:
//   node reset.mjs [URL] --secret S        (URL defaults to $SYNCSIM_SERVER)
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({ options: { secret: { type: 'string' } }, allowPositionals: true });
const url = positionals[0] ?? process.env.SYNCSIM_SERVER;
const secret = values.secret ?? process.env.SERVER_PGLITE_ADMIN_SECRET;
if (url === undefined || secret === undefined) {
  process.stderr.write('usage: node reset.mjs [URL] --secret S (URL defaults to $SYNCSIM_SERVER)\n');
  process.exit(2);
}
try {
  const reply = await fetch(new URL('/admin/reset', url), { method: 'POST', headers: { 'x-admin-secret': secret }, signal: AbortSignal.timeout(30_000) });
  if (reply.status !== 200) throw new Error(`POST /admin/reset answered ${reply.status}: ${(await reply.text()).slice(0, 300)}`);
} catch (error) {
  process.stderr.write(`reset: ${url}: ${error.cause?.message ?? error.message}\n`);
  process.exit(1);
}
