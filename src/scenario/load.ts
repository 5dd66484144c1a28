import { isUtf8 } from 'node:buffer';
import { readFileSync, statSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';
import { Issues, ScenarioError } from './errors.ts';
import { jsonSyntaxError } from './json-syntax.ts';
import { SCENARIO_LIMITS } from './limits.ts';
import { locate } from './located.ts';
import { Reader } from './read.ts';
import { readScenario } from './scenario.ts';
import type { Scenario } from './types.ts';

const atStart = (file: string, message: string) => new ScenarioError([{ file, line: 1, column: 1, message }]);
const tooLarge = (file: string, bytes: number) =>
  atStart(file, `the file is ${bytes} bytes; a scenario file is at most ${SCENARIO_LIMITS.fileBytes} bytes (1 MiB)`);

/** Reads and validates a scenario file (YAML, or JSON by its `.json` extension). */
export function loadScenario(file: string): Scenario {
  let bytes: Buffer;
  try {
    // Refused by its size before a byte is read: a hostile file is never parsed.
    const size = statSync(file).size;
    if (size > SCENARIO_LIMITS.fileBytes) throw tooLarge(file, size);
    bytes = readFileSync(file);
  } catch (error) {
    if (error instanceof ScenarioError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw atStart(file, `cannot read the file: ${reason}`);
  }
  if (!isUtf8(bytes)) {
    const line = firstBadLine(bytes);
    throw new ScenarioError([{ file, line, column: 1, message: 'the line is not valid UTF-8' }]);
  }
  return parseScenario(bytes.toString('utf8'), file);
}

/**
 * Validates scenario text; `file` names it in messages, and its extension says the syntax:
 * `.json` is parsed as JSON (JSON's errors, located), anything else as YAML. Either way the
 * YAML parser then gives every value its position (JSON is YAML 1.2). Throws a
 * ScenarioError listing every problem found; nothing is returned unless the whole file is
 * valid and within SCENARIO_LIMITS.
 */
export function parseScenario(text: string, file: string): Scenario {
  if (text.length > SCENARIO_LIMITS.fileBytes || Buffer.byteLength(text) > SCENARIO_LIMITS.fileBytes) throw tooLarge(file, Buffer.byteLength(text));
  const issues = new Issues();
  const lines = new LineCounter();
  const source = text.replace(/^\uFEFF/, '');
  const doc = parseDocument(source, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (/\.json$/i.test(file)) {
    const error = jsonSyntaxError(source);
    if (error !== null) {
      const { line, col } = lines.linePos(error.offset);
      throw new ScenarioError([{ file, line, column: col, message: `JSON syntax: ${error.message}` }]);
    }
  }
  for (const error of doc.errors) {
    const { line, col } = lines.linePos(error.pos[0]);
    issues.add({ line, column: col }, `YAML syntax: ${error.message}`);
  }
  if (issues.count > 0) throw new ScenarioError(issues.forFile(file));
  const root = locate(doc, lines, issues);
  // An alias to nowhere or a non-scalar key is a structural error like a syntax error.
  if (issues.count > 0) throw new ScenarioError(issues.forFile(file));
  if (root === null) issues.add({ line: 1, column: 1 }, 'the file is empty; a scenario needs name, description, duration and devices');
  const scenario = root === null ? undefined : readScenario(new Reader(issues), root, file);
  if (scenario === undefined || issues.count > 0) throw new ScenarioError(issues.forFile(file));
  return scenario;
}

/** The 1-based line of the first invalid UTF-8 in `bytes`. */
function firstBadLine(bytes: Buffer): number {
  let line = 1;
  for (let from = 0; ; line++) {
    const newline = bytes.indexOf(0x0a, from);
    if (!isUtf8(bytes.subarray(from, newline === -1 ? bytes.length : newline)) || newline === -1) return line;
    from = newline + 1;
  }
}
