/**
 * The adapter under syncsim, as a team's suite would run it: library scenarios it must pass,
 * and every shrunk finding in docs/analyses/rxdb/ reproducing its recorded trace byte for byte.
 */
import { createRequire } from 'node:module';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runScenario } from 'syncsim';
import rxdb from '../index.ts';

const here = dirname(fileURLToPath(import.meta.url));
const scenarios = join(dirname(createRequire(import.meta.url).resolve('syncsim/package.json')), 'scenarios');
const findings = join(here, '..', '..', '..', 'docs', 'analyses', 'rxdb');
const expectedFile = join(findings, 'expected.json');

/** The trace hash and verdict each finding's run gave when it was recorded (UPDATE_FINDINGS=1 rewrites them). */
type Expected = Record<string, { hash: string; violations: string[] }>;
const expected = JSON.parse(readFileSync(expectedFile, 'utf8')) as Expected;

function traceHash(events: ReadonlyArray<{ type: string }>): string {
  const end = events.find((e) => e.type === 'run.end') as { hash?: string } | undefined;
  return end?.hash ?? '';
}

describe('library scenarios on RxDB', () => {
  for (const name of ['partition-heal', 'crash-after-local-write', 'lost-reply-idempotency', 'delete-vs-update']) {
    it(`${name} holds every guarantee`, async () => {
      const run = await runScenario(join(scenarios, `${name}.yaml`), { engine: rxdb, seed: 1 });
      expect(run.violations).toEqual([]);
      expect(run.ok).toBe(true);
    });
  }
});

describe('findings in docs/analyses/rxdb reproduce byte for byte', () => {
  const files = readdirSync(findings).filter((f) => f.endsWith('.yaml')).sort();
  it.skipIf(process.env.UPDATE_FINDINGS === '1')('every finding has a recorded expectation', () => {
    expect(Object.keys(expected).sort()).toEqual(files);
  });
  for (const file of files) {
    it(file, async () => {
      const run = await runScenario(join(findings, file), { engine: rxdb });
      const got = { hash: traceHash(run.events), violations: [...run.violations].sort() };
      if (process.env.UPDATE_FINDINGS === '1') {
        const current = JSON.parse(readFileSync(expectedFile, 'utf8')) as Expected;
        writeFileSync(expectedFile, JSON.stringify({ ...current, [file]: got }, null, 2) + '\n');
        return;
      }
      expect(got).toEqual(expected[file]);
    });
  }
});
