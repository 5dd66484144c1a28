/**
 * Scenario files in, run outputs out: loads every file (a bad one stops all before anything
 * runs), resolves each one's engine, runs it, writes `<out>/<scenario>-<engine>-<seed>/trace.jsonl` and
 * `summary.json`, prints the table and what failed with the command that reproduces it.
 * What `syncsim run` and `syncsim start` do; the CLI only parses their arguments.
 */
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { engineSpecFrom, isModulePath } from '../engines/engine-spec.ts';
import { EngineLoadError, resolveEngine, scenarioFolder, type ResolvedEngine } from '../engines/resolve.ts';
import { loadScenario, ScenarioError, type Scenario } from '../scenario/index.ts';
import { summarize, type RunSummary } from '../report/run-summary.ts';
import { runTable } from '../report/run-table.ts';
import { runError } from '../fuzz/run-seed.ts';
import { RemoteServerError } from '../remote/index.ts';
import { runScenario, type RunOutcome } from '../world/run-scenario.ts';

export interface RunFilesOptions {
  seed?: number;
  /** A built-in name or a module path relative to the working directory; overrides each scenario's `engine:`. */
  engine?: string;
  out: string;
  /** Print every column of the table instead of one that fits the terminal. */
  wide?: boolean;
}

/** Runs scenario files, writes their outputs, prints the table; resolves to the exit code. */
export async function runFiles(files: string[], options: RunFilesOptions): Promise<number> {
  const scenarios = loadAll(files);
  if (scenarios === null) return 2;
  const engines = await engineOfEach(scenarios, options.engine);
  if (engines === null) return 2;
  const summaries: RunSummary[] = [];
  const outcomes: RunOutcome[] = [];
  const named: string[] = [];
  const thrown: string[] = [];
  for (const [i, scenario] of scenarios.entries()) {
    const { descriptor: engine } = engines[i]!;
    const seed = options.seed ?? scenario.seed ?? 1;
    const started = process.hrtime.bigint();
    let outcome: RunOutcome;
    try {
      outcome = await runScenario(scenario, { seed, engine });
    } catch (error) {
      if (error instanceof RemoteServerError) throw error;
      // The world did not turn the engine's throw into a verdict: report it, go on with the others.
      thrown.push(engineThrew(options.out, scenario, seed, engines[i]!.named, error));
      continue;
    }
    const summary = summarize(outcome, Number(process.hrtime.bigint() - started) / 1e6);
    writeRun(options.out, outcome, summary);
    summaries.push(summary);
    outcomes.push(outcome);
    named.push(engines[i]!.named);
  }
  if (summaries.length > 0) console.log(runTable(summaries, { wide: options.wide }));
  if (summaries.length > 1) console.log(timeLine(summaries));
  summaries.forEach((summary, i) => {
    if (!summary.ok) console.log(explain(summary, outcomes[i]!, named[i]!));
  });
  for (const line of thrown) console.log(line);
  if (thrown.length > 0) return 1;
  return summaries.every((s) => s.ok) ? 0 : 1;
}

/** How much device life the runs simulated, and how fast: "9h 20m of virtual time in 1.2 s (28,000×)". */
function timeLine(summaries: RunSummary[]): string {
  const virtualMs = summaries.reduce((sum, s) => sum + s.virtualMs, 0);
  const wallMs = summaries.reduce((sum, s) => sum + s.wallMs, 0);
  const minutes = Math.round(virtualMs / 60_000);
  const virtual = minutes >= 60 ? `${Math.floor(minutes / 60)}h ${minutes % 60}m` : `${(virtualMs / 1000).toFixed(0)}s`;
  const ratio = wallMs > 0 ? Math.round(virtualMs / wallMs).toLocaleString('en-US') : '-';
  return `${summaries.length} runs: ${virtual} of virtual time in ${(wallMs / 1000).toFixed(1)} s of wall time (${ratio}× real time)`;
}

/** A scenario's engine, and how the user named it (for the reproduce line). */
interface ScenarioEngine extends ResolvedEngine {
  named: string;
}

/**
 * Loads every scenario's engine before anything runs: `--engine` relative to the working
 * directory, else the file's `engine:` relative to the file's folder. A module that
 * cannot be loaded is bad input, told in one line.
 */
async function engineOfEach(scenarios: Scenario[], override: string | undefined): Promise<ScenarioEngine[] | null> {
  const engines: ScenarioEngine[] = [];
  for (const scenario of scenarios) {
    const [named, base] = override !== undefined ? [override, process.cwd()] : [scenario.engine ?? 'reference', scenarioFolder(scenario.file)];
    try {
      engines.push({ ...(await resolveEngine(named, base)), named: override !== undefined ? named : engineFromHere(named, base) });
    } catch (error) {
      if (!(error instanceof EngineLoadError)) throw error;
      console.error(override !== undefined ? `syncsim run: ${error.message}` : `${scenario.file}: ${error.message}`);
      return null;
    }
  }
  return engines;
}

/** A scenario's module path as `--engine` would spell it from the working directory. */
function engineFromHere(named: string, base: string): string {
  return engineSpecFrom(process.cwd(), isModulePath(named) ? resolve(base, named) : named);
}

/** Loads every file first, so a bad file stops everything before anything runs. */
function loadAll(paths: string[]): Scenario[] | null {
  const scenarios: Scenario[] = [];
  let bad = false;
  const files = scenarioFiles(paths);
  if (files === null) return null;
  for (const file of files) {
    try {
      scenarios.push(loadScenario(file));
    } catch (error) {
      if (!(error instanceof ScenarioError)) throw error;
      console.error(error.message);
      bad = true;
    }
  }
  return bad ? null : scenarios;
}

/** Scenario files, in the order given; a folder stands for every scenario file in it (YAML or JSON), sorted. */
function scenarioFiles(paths: string[]): string[] | null {
  const files: string[] = [];
  for (const path of paths) {
    let folder = false;
    try {
      folder = statSync(path).isDirectory();
    } catch {
      // Not there: loadScenario reports it, with the path.
    }
    if (!folder) {
      files.push(path);
      continue;
    }
    const inside = readdirSync(path).filter((name) => /\.(ya?ml|json)$/.test(name)).sort();
    if (inside.length === 0) {
      console.error(`${path}: no scenario files (.yaml, .yml or .json) in this folder`);
      return null;
    }
    files.push(...inside.map((name) => join(path, name)));
  }
  return files;
}

/**
 * A run's output folder: `<scenario>-<engine>-<seed>`, so runs of one scenario with other
 * engines (a mutant's, the naive engine's) sit beside each other instead of overwriting.
 * The engine name is made a folder name (`mutant:memory-queue` → `mutant-memory-queue`).
 */
export function runFolder(scenario: string, engine: string, seed: number): string {
  return `${scenario}-${engine.replace(/[^A-Za-z0-9._-]+/g, '-')}-${seed}`;
}

function writeRun(out: string, outcome: RunOutcome, summary: RunSummary): void {
  const dir = join(out, runFolder(summary.scenario, summary.engine, summary.seed));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'trace.jsonl'), outcome.world.trace.toJSONL());
  const detail = { ...summary, checkDetails: outcome.checks };
  writeFileSync(join(dir, 'summary.json'), JSON.stringify(detail, null, 2) + '\n');
}

/** Writes the error beside where the trace would be; returns what to print. */
function engineThrew(out: string, scenario: Scenario, seed: number, engine: string, error: unknown): string {
  const { message, stack } = runError(error);
  const dir = join(out, runFolder(scenario.name, engine, seed));
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'engine-error.txt');
  writeFileSync(file, stack + '\n');
  return [
    `${scenario.name} (${engine}, seed ${seed}) failed: engine-error (the run threw): ${message}`,
    `  stack: ${file}`,
    `  reproduce: npx syncsim run ${scenario.file} --seed ${seed} --engine ${engine}`,
  ].join('\n');
}

function explain(summary: RunSummary, outcome: RunOutcome, engine: string): string {
  const lines = [`${summary.scenario} (${summary.engine}, seed ${summary.seed}) failed:`];
  for (const failure of summary.expectationFailures) lines.push(`  - ${failure.what}: ${failure.message}`);
  for (const check of outcome.checks) {
    for (const violation of check.violations.slice(0, 3)) lines.push(`    ${check.checker}: ${violation.message} (seq ${violation.seqs.slice(0, 6).join(', ')})`);
  }
  lines.push(`  reproduce: npx syncsim run ${summary.file} --seed ${summary.seed} --engine ${engine}`);
  return lines.join('\n');
}
