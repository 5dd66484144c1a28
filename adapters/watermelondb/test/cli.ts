/** Runs the installed syncsim CLI in a child process, as a user would, and reads the trace it wrote. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PACKAGE = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(PACKAGE, 'node_modules', 'syncsim', 'bin', 'syncsim.js');

export interface CliRun {
  status: number | null;
  output: string;
  /** The trace file's bytes; '' when none was written. */
  trace: string;
}

/** `syncsim run <args>` in a fresh output folder, from this package's folder. */
export function syncsimRun(args: string[]): CliRun {
  const out = mkdtempSync(join(tmpdir(), 'wm-run-'));
  try {
    const child = spawnSync(process.execPath, [CLI, 'run', ...args, '--out', out], { cwd: PACKAGE, encoding: 'utf8', timeout: 120_000 });
    const folders = readdirSync(out);
    const trace = folders.length === 1 ? readFileSync(join(out, folders[0]!, 'trace.jsonl'), 'utf8') : '';
    return { status: child.status, output: `${child.stdout}${child.stderr}`, trace };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** The `run.end` hash: a digest of every line before it. */
export function traceHash(trace: string): string {
  const last = trace.trimEnd().split('\n').at(-1) ?? '{}';
  return (JSON.parse(last) as { hash?: string }).hash ?? '';
}
