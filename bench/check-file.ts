import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Figures } from './report.ts';
import { POLLS_PER_WRITE, writeSyntheticTrace } from './trace-file.ts';

const EVENTS = 1_500_000;
const root = fileURLToPath(new URL('..', import.meta.url));
/**
 * A benchmark trace, generated once per machine (about 225 MB: kept in the temp folder, not
 * in reports/). Versioned by the generator's shape: a change to trace-file.ts should bump it.
 */
function benchTrace(pollsPerWrite: number): string {
  const shape = pollsPerWrite === POLLS_PER_WRITE ? 'v1' : `v1-polls${pollsPerWrite}`;
  const traceFile = join(tmpdir(), 'syncsim-bench', `check-file-${shape}-${EVENTS}.jsonl`);
  if (!existsSync(traceFile)) {
    mkdirSync(join(tmpdir(), 'syncsim-bench'), { recursive: true });
    const partial = `${traceFile}.${process.pid}.partial`;
    writeSyntheticTrace(partial, EVENTS, pollsPerWrite);
    renameSync(partial, traceFile);
  }
  return traceFile;
}

interface CheckRun {
  wallMs: number;
  cpuMs: number;
  peakKb: number;
  events: number;
}

/** The real CLI's `check` on the file, in a child process: wall time, its own CPU time and peak RSS. */
function checkOnce(file: string): CheckRun {
  const started = process.hrtime.bigint();
  const child = spawnSync(process.execPath, ['--import', join(root, 'bench/child-usage.mjs'), join(root, 'bin/syncsim.js'), 'check', file], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 16 << 20,
    timeout: 300_000,
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const events = /: (\d+) events,/.exec(child.stdout)?.[1];
  const usage = /syncsim-bench-usage (.*)/.exec(child.stderr)?.[1];
  if (child.status !== 0 || events === undefined || usage === undefined) {
    throw new Error(`syncsim check ${file} exited ${child.status}: ${child.stderr.slice(0, 2000)}`);
  }
  const { maxRssKb, cpuMs } = JSON.parse(usage) as { maxRssKb: number; cpuMs: number };
  return { wallMs, cpuMs, peakKb: maxRssKb, events: Number(events) };
}

/**
 * `syncsim check` on a 1.5M-event trace file, end to end (start-up, reading, validating,
 * hashing, judging, printing), in a child process. Targets: at least 300,000 events/s and
 * under 500 MB peak RSS. Best of two runs for the rate (the least disturbed by a shared
 * machine); the CPU rate says what the rate would be on an idle core.
 */
export async function benchCheckFile(): Promise<Figures> {
  const file = benchTrace(POLLS_PER_WRITE);
  const runs = [checkOnce(file), checkOnce(file)];
  // The same size shaped like a bulk run (no polls): the events checkers keep whole dominate.
  const bulk = checkOnce(benchTrace(0));
  const best = runs.reduce((a, b) => (b.wallMs < a.wallMs ? b : a));
  const peakKb = Math.max(...runs.map((r) => r.peakKb));
  return {
    'check.file_events_per_s': { value: Math.round((best.events / best.wallMs) * 1000), unit: 'events/s' },
    'check.file_events_per_cpu_s': { value: Math.round((best.events / best.cpuMs) * 1000), unit: 'events per CPU s' },
    'check.file_peak_mb': { value: Math.round(peakKb / 1024), unit: 'MB' },
    'check.file_mb': { value: Math.round(statSync(file).size / 1e6), unit: 'MB' },
    'check.file_events': { value: best.events, unit: 'events' },
    'check.bulk_file_events_per_s': { value: Math.round((bulk.events / bulk.wallMs) * 1000), unit: 'events/s' },
    'check.bulk_file_peak_mb': { value: Math.round(bulk.peakKb / 1024), unit: 'MB' },
  };
}
