import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { syncsimRun, traceHash } from './cli.ts';

/**
 * Every finding of docs/analyses/watermelondb.md is a shrunk scenario file beside it, with
 * the verdict and the trace hash it gave (findings.json). `syncsim run <file>` must give
 * them again, byte for byte: the file names its engine module, relative to itself.
 */
interface Finding {
  file: string;
  violations: string[];
  hash: string;
}

const FOLDER = '../../docs/analyses/watermelondb';
const findings = JSON.parse(readFileSync(new URL(`../${FOLDER}/findings.json`, import.meta.url), 'utf8')) as Finding[];

describe('the analysis findings reproduce byte for byte', () => {
  for (const finding of findings) {
    it(finding.file, () => {
      const run = syncsimRun([`${FOLDER}/${finding.file}`]);
      expect(run.trace, run.output).not.toBe('');
      const violations = (JSON.parse(run.trace.trimEnd().split('\n').at(-1)!) as { violations: string[] }).violations;
      expect(violations).toEqual(finding.violations);
      expect(traceHash(run.trace)).toBe(finding.hash);
    });
  }
});
