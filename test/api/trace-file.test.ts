import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { readTraceBytes, readTraceFile } from '../../src/api/trace-bytes.ts';
import { recordedLines } from '../trace/hostile-traces.ts';

const lines = await recordedLines();
const snapshotTasks = lines.map((l) => JSON.parse(l) as { type: string; tasks?: unknown[] }).filter((e) => e.type === 'snapshot').reduce((n, e) => n + e.tasks!.length, 0);

/** The recorded trace with its snapshots' titles replaced by `titles` (cycled), and run.end's hash recomputed. */
function withTitles(titles: string[]): string {
  let next = 0;
  const body = lines.slice(0, -1).map((line) => {
    const event = JSON.parse(line) as { type: string; tasks?: Array<{ title: string }> };
    if (event.type !== 'snapshot') return line;
    for (const task of event.tasks!) task.title = titles[next++ % titles.length]!;
    return JSON.stringify(event);
  });
  const text = body.join('\n') + '\n';
  const end = JSON.parse(lines.at(-1)!) as Record<string, unknown>;
  end.hash = createHash('sha256').update(text).digest('hex');
  return text + JSON.stringify(end) + '\n';
}

/**
 * `syncsim check` reads a file in pieces (64 KiB) that split lines and multi-byte characters
 * anywhere; what it reads must be what one read of the whole file gives.
 */
describe('readTraceFile reads a file in pieces exactly as a whole', () => {
  const dir = mkdtempSync(join(tmpdir(), 'syncsim-trace-file-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let files = 0;

  it('for lines of any length and characters of any width across the pieces', () => {
    expect(snapshotTasks).toBeGreaterThan(0); // the titles go somewhere
    const wide = fc.constantFrom('a', 'é', '€', '😀', 'ß', '中');
    fc.assert(
      fc.property(fc.array(fc.tuple(wide, fc.integer({ min: 1, max: 40_000 })), { minLength: 1, maxLength: 6 }), (parts) => {
        const text = withTitles(parts.map(([char, n]) => char.repeat(n)));
        const file = join(dir, `t${files++}.jsonl`);
        writeFileSync(file, text);
        const whole = readTraceBytes(new TextEncoder().encode(text));
        expect(readTraceFile(file)).toEqual(whole);
      }),
      { numRuns: 40, seed: 20261202 },
    );
  });

  it('a tampered byte deep inside a long line is still caught by the hash', () => {
    const text = withTitles(['x'.repeat(200_000)]);
    const file = join(dir, 'tampered.jsonl');
    writeFileSync(file, text.replace('xxxxxxxxxx', 'xxxxxyxxxx'));
    expect(() => readTraceFile(file)).toThrow(/run\.end hash .* does not match/);
  });
});
