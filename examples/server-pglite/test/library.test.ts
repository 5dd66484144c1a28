import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadScenario, runScenario } from 'syncsim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCENARIOS_DIR, startBackend, TOKENS, type Backend } from './support/backend.ts';

/** The library's scenarios for the reference engine: the demonstrations of other engines' defects left out, as `conform` does. */
const library = readdirSync(SCENARIOS_DIR)
  .filter((file) => file.endsWith('.yaml'))
  .sort()
  .filter((file) => {
    const scenario = loadScenario(join(SCENARIOS_DIR, file));
    return scenario.engine === undefined && (scenario.expect.violations ?? []).length === 0;
  });

describe('the scenario library with the reference engine against server-pglite (--server)', () => {
  let backend: Backend;
  beforeAll(async () => {
    backend = await startBackend();
  });
  afterAll(async () => {
    await backend?.stop();
  });

  it('selects the library', () => {
    expect(library.length).toBeGreaterThan(15);
  });

  it.each(library)('%s passes', async (file) => {
    const result = await runScenario(join(SCENARIOS_DIR, file), { engine: 'reference', server: { url: backend.url, tokens: { demo: TOKENS.demo }, reset: backend.reset } });
    expect(result.violations).toEqual([]);
    expect(result.ok).toBe(true);
  });
});
