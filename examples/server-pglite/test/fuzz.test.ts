import { fuzz } from 'syncsim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBackend, TOKENS, type Backend } from './support/backend.ts';

describe('a swarm fuzz campaign against server-pglite (--server)', () => {
  let backend: Backend;
  beforeAll(async () => {
    backend = await startBackend();
  });
  afterAll(async () => {
    await backend?.stop();
  });

  it('20 seeds pass, one run at a time, each on a freshly reset store', async () => {
    const campaign = await fuzz({ profile: 'swarm', seeds: 20, start: 1, server: { url: backend.url, tokens: { demo: TOKENS.demo }, reset: backend.reset } });
    expect(campaign.failures.map((f) => ({ seed: f.seed, violations: f.violations, scenario: f.scenarioYaml }))).toEqual([]);
    expect(campaign.jobs).toBe(1);
  });
});
