#!/usr/bin/env node
// The CLI in this one process: the built JavaScript (dist/, what the package ships), or in a
// checkout without a build, the TypeScript sources through tsx's loader (development).
// One process, so a signal that ends it ends its servers and worker threads with it.
import { existsSync } from 'node:fs';

const built = new URL('../dist/cli/main.js', import.meta.url);
if (existsSync(built)) {
  await import(built.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('../src/cli/main.ts', import.meta.url).href);
}
