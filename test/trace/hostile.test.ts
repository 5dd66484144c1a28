/**
 * Hostile trace files (issue 14, point 5) through the library: readTrace and checkTrace
 * refuse each with a TraceFormatError at its line, never a TypeError from a checker.
 * test/cli/check-hostile.test.ts gives the same files to `syncsim check`.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkTrace, readTrace } from '../../src/index.ts';
import { TraceFormatError } from '../../src/trace/index.ts';
import { hostileTraces, recordedLines } from './hostile-traces.ts';

const lines = await recordedLines();
const cases = hostileTraces(lines);

function refusal(read: () => unknown): { line: number; problem: string } {
  try {
    read();
  } catch (error) {
    if (!(error instanceof TraceFormatError)) throw error;
    return { line: error.line, problem: error.problem };
  }
  throw new Error('the trace was accepted');
}

describe('readTrace and checkTrace on hostile traces', () => {
  it('the recorded trace itself is fine, as text and as bytes', () => {
    const text = lines.join('\n') + '\n';
    expect(readTrace(text)).toHaveLength(lines.length);
    expect(readTrace(new TextEncoder().encode(text))).toEqual(readTrace(text));
    expect(checkTrace(new TextEncoder().encode(text)).ok).toBe(true);
  });

  it("checks run.end's hash over the bytes, CRLF line ends too", () => {
    const text = lines.join('\n') + '\n';
    const bytes = (t: string) => new TextEncoder().encode(t);
    expect(readTrace(bytes(text.replaceAll('\n', '\r\n')))).toEqual(readTrace(text));
    expect(readTrace(bytes(text.trimEnd()))).toEqual(readTrace(text)); // no newline after run.end
    const tampered = text.replace(/"title":"([^"]*)"/, '"title":"$1!"');
    expect(refusal(() => readTrace(bytes(tampered)))).toMatchObject({ line: lines.length, problem: expect.stringMatching(/^run\.end hash .* does not match/) });
    expect(refusal(() => readTrace(bytes(tampered.replaceAll('\n', '\r\n'))))).toMatchObject({ line: lines.length });
  });

  it('has every hostile case of the issue', () => expect(cases.length).toBeGreaterThanOrEqual(14));

  it.each(cases.map((c) => [c.name, c] as const))('%s: refused at its line, as bytes and (when it is text) as a string', (_name, c) => {
    for (const read of [() => readTrace(c.bytes), () => checkTrace(c.bytes)]) {
      const { line, problem } = refusal(read);
      expect({ name: c.name, line }).toEqual({ name: c.name, line: c.line });
      expect(problem, c.name).toMatch(c.message);
    }
    if (c.name === 'invalid UTF-8') return;
    const text = new TextDecoder().decode(c.bytes);
    expect(refusal(() => checkTrace(text)), c.name).toMatchObject({ line: c.line });
  });

  it('a wrong type anywhere in an event is a TraceFormatError or a verdict, never a crash (property)', () => {
    const body = lines.slice(0, -1); // run.end's hash would refuse every edit
    const odd = fc.constantFrom<unknown>(null, 0, -1, 1.5, '', 'x', true, [], [null], {}, { a: 1 });
    fc.assert(
      fc.property(fc.nat(body.length - 1), fc.nat(), odd, (index, pick, value) => {
        const event = JSON.parse(body[index]!) as Record<string, unknown>;
        const paths = pathsOf(event).filter((p) => !['seq', 't', 'type'].includes(p[0] as string));
        if (paths.length === 0) return;
        setAt(event, paths[pick % paths.length]!, value);
        const text = [...body.slice(0, index), JSON.stringify(event), ...body.slice(index + 1)].join('\n') + '\n';
        try {
          checkTrace(text);
        } catch (error) {
          expect(error).toBeInstanceOf(TraceFormatError);
        }
      }),
      { numRuns: Number(process.env.HOSTILE_RUNS ?? 300) },
    );
  });
});

/** Every path to a value inside `value` (object keys and list indexes). */
function pathsOf(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (typeof value !== 'object' || value === null) return [];
  const entries: Array<[string | number, unknown]> = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  return entries.flatMap(([key, v]) => [[...prefix, key], ...pathsOf(v, [...prefix, key])]);
}

function setAt(root: Record<string, unknown>, path: ReadonlyArray<string | number>, value: unknown): void {
  let node = root as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path.at(-1)!] = value;
}
