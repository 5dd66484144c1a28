import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { engineSpecFrom } from '../engines/engine-spec.ts';
import { resolveEngine } from '../engines/resolve.ts';
import { runCampaign, type CampaignProgress } from '../fuzz/campaign.ts';
import { thrownJudgement } from '../fuzz/judgement.ts';
import type { ProfileName } from '../fuzz/profiles.ts';
import type { SeedRecord } from '../fuzz/seed-job.ts';
import { buildCard, type ConformRun, type ReportCard } from './card.ts';
import { cardJson } from './json.ts';
import { cardJunit } from './junit.ts';
import { runLibrary, selectLibrary } from './library.ts';
import { cardMarkdown } from './markdown.ts';

export interface ConformOptions {
  /** A built-in name, or an engine module path relative to the working directory. */
  engine: string;
  /** Seeds per profile, from 1. */
  seeds: number;
  profiles: readonly ProfileName[];
  /** Worker threads per campaign. */
  jobs: number;
  out: string;
  /** The scenario library's folder. */
  scenarios: string;
  /** One line per finished part (the library, each profile). */
  onPart?: (line: string) => void;
  onProgress?: (part: string, progress: CampaignProgress) => void;
}

export interface ConformResult {
  card: ReportCard;
  /** The files written: conformance.md, conformance.json, junit.xml. */
  files: { markdown: string; json: string; junit: string };
  /** Real time the whole card took (not in the card: it is the one part that varies). */
  wallMs: number;
}

/** Real time, for the report's timing only (never inside a simulated run). */
const now = () => performance.now();

/**
 * The report card of an engine (SPEC §7 `conform`): the library with the engine, then N
 * seeds of each profile through the fuzz campaigns (failures shrunk and written under
 * `<out>/fuzz-<profile>/failures/`), then the card's three files. Rejects with an
 * EngineLoadError before anything runs when the engine cannot be loaded, and with a
 * ScenarioError for a bad library file.
 */
export async function runConformance(options: ConformOptions): Promise<ConformResult> {
  const started = now();
  const engine = await resolveEngine(options.engine, process.cwd());
  const engineArg = engineSpecFrom(process.cwd(), engine.spec);
  const library = selectLibrary(options.scenarios, engine);
  mkdirSync(options.out, { recursive: true });
  const runs: ConformRun[] = await runLibrary(library.scenarios, { engine, engineArg, out: options.out });
  const failed = runs.filter((r) => !r.ok).length;
  const left = library.excluded.length === 0 ? '' : `; ${library.excluded.length} left out (${library.excluded.map((e) => e.file).join(', ')})`;
  options.onPart?.(`library: ${runs.length} scenarios, ${runs.length - failed} passed, ${failed} failed${left}`);
  for (const profile of options.profiles) {
    const summary = await runCampaign({
      seeds: options.seeds, start: 1, engine: options.engine, profile, jobs: options.jobs, shard: null, out: join(options.out, `fuzz-${profile}`),
      shrink: true, judged: true, onProgress: (p) => options.onProgress?.(profile, p),
    });
    runs.push(...summary.results.map((r) => seedRun(`fuzz-${profile}`, r)));
    options.onPart?.(`fuzz ${profile}: ${summary.totals.seeds} seeds, ${summary.totals.passed} passed, ${summary.totals.failed} failed`);
  }
  const card = buildCard(engine.descriptor.name, runs, library.excluded);
  const files = writeCard(options.out, card);
  return { card, files, wallMs: Math.round(now() - started) };
}

/** A fuzz seed's record as a run of the card. */
export function seedRun(source: string, record: SeedRecord): ConformRun {
  const f = record.failure;
  return {
    source,
    name: `seed ${record.seed}`,
    seed: record.seed,
    ok: record.ok,
    violations: record.violations,
    // A campaign asked for judgements gives every record one; a lost seed without it judged only its engine.
    judged: record.judged ?? thrownJudgement({ message: f?.details[0] ?? 'the seed gave no judgement', stack: '' }),
    ...(f !== undefined && {
      reproduction: {
        scenarioFile: f.scenarioFile,
        reproduce: f.reproduce,
        ...(f.traceFile !== undefined && { traceFile: f.traceFile }),
        reproducible: f.reproducible,
        ...(f.problem !== undefined && { problem: f.problem }),
      },
    }),
  };
}

function writeCard(out: string, card: ReportCard): ConformResult['files'] {
  const files = { markdown: join(out, 'conformance.md'), json: join(out, 'conformance.json'), junit: join(out, 'junit.xml') };
  writeFileSync(files.markdown, cardMarkdown(card));
  writeFileSync(files.json, JSON.stringify(cardJson(card), null, 2) + '\n');
  writeFileSync(files.junit, cardJunit(card));
  return files;
}
