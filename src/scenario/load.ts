import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';
import { Issues, ScenarioError } from './errors.ts';
import { locate } from './located.ts';
import { Reader } from './read.ts';
import { readScenario } from './scenario.ts';
import type { Scenario } from './types.ts';

/** Reads and validates a scenario file (YAML, or JSON by its `.json` extension). */
export function loadScenario(file: string): Scenario {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ScenarioError([{ file, line: 1, column: 1, message: `cannot read the file: ${reason}` }]);
  }
  return parseScenario(text, file);
}

/**
 * Validates scenario text; `file` names it in messages. JSON is YAML 1.2, so one parser
 * serves both and gives JSON files located errors too. Throws a ScenarioError listing
 * every problem found; nothing is returned unless the whole file is valid.
 */
export function parseScenario(text: string, file: string): Scenario {
  const issues = new Issues();
  const lines = new LineCounter();
  const doc = parseDocument(text.replace(/^\uFEFF/, ''), { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
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
