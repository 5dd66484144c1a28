import type { EngineDescriptor } from '../engines/engine.ts';
import { ScenarioError, type Scenario, type Step } from '../scenario/index.ts';
import { runCandidate, type SeedRun } from './run-seed.ts';
import { normalizeScenario } from './scenario-yaml.ts';

export interface ShrinkOptions {
  engine: EngineDescriptor;
  /** At most this many candidate runs (default 300). */
  maxRuns?: number;
}

export interface ShrinkResult {
  /** The smallest failing run found; its scenario reproduces it. */
  run: SeedRun;
  originalSteps: number;
  steps: number;
  /** Candidate runs spent. */
  runs: number;
}

/**
 * Shrinks a failing run to a smaller scenario that fails the same way (the same failure
 * signature: the same set of checkers, `engine-error` for a run that threw), with the
 * same seed: delta debugging over the steps (chunks, then single steps), then simplifications
 * (unused devices, shorter duration, calmer network defaults, drop counts and storage
 * failures toward 1, skews toward 0). Every candidate is a real run.
 */
export async function shrinkFailure(failing: SeedRun, options: ShrinkOptions): Promise<ShrinkResult> {
  // Candidates that do not read back (a step removed that another needs) are skipped as
  // invalid; the failing scenario itself must read back, or every candidate would be
  // skipped and the shrink would silently do nothing (an engine the file cannot name).
  normalizeScenario(failing.scenario);
  const shrinker = new Shrinker(failing, options);
  await shrinker.removeSteps();
  await shrinker.simplify();
  await shrinker.removeSteps();
  return { run: shrinker.best, originalSteps: failing.scenario.steps.length, steps: shrinker.best.scenario.steps.length, runs: shrinker.runs };
}

class Shrinker {
  best: SeedRun;
  runs = 0;
  private readonly target: string;
  private readonly maxRuns: number;

  constructor(failing: SeedRun, private readonly options: ShrinkOptions) {
    this.best = failing;
    this.target = failing.violations.join(',');
    this.maxRuns = options.maxRuns ?? 300;
  }

  private get exhausted(): boolean {
    return this.runs >= this.maxRuns;
  }

  /** Runs the candidate; keeps it when it fails the same way. Invalid candidates cost nothing. */
  private async attempt(candidate: Omit<Scenario, 'steps'> & { steps: Step[] }): Promise<boolean> {
    if (this.exhausted) return false;
    let scenario: Scenario;
    try {
      scenario = normalizeScenario({ ...candidate, steps: repairSteps(candidate.steps) });
    } catch (error) {
      if (error instanceof ScenarioError) return false;
      throw error;
    }
    this.runs++;
    const run = await runCandidate(scenario, this.options.engine);
    if (run.ok || run.violations.join(',') !== this.target) return false;
    this.best = run;
    return true;
  }

  /** ddmin over the steps: remove halves, quarters, ... then single steps, until nothing more goes. */
  async removeSteps(): Promise<void> {
    let chunks = 2;
    while (!this.exhausted) {
      const steps = this.best.scenario.steps;
      if (steps.length === 0) return;
      chunks = Math.min(chunks, steps.length);
      const size = Math.ceil(steps.length / chunks);
      let removed = false;
      for (let start = 0; start < steps.length && !this.exhausted; start += size) {
        if (await this.attempt({ ...this.best.scenario, steps: [...steps.slice(0, start), ...steps.slice(start + size)] })) {
          removed = true;
          break;
        }
      }
      if (removed) chunks = Math.max(chunks - 1, 2);
      else if (size === 1) return;
      else chunks = Math.min(chunks * 2, steps.length);
    }
  }

  async simplify(): Promise<void> {
    await this.dropUnusedDevices();
    await this.shortenDuration();
    await this.calmNetwork();
    await this.simplifySteps();
    await this.zeroSkews();
  }

  private async dropUnusedDevices(): Promise<void> {
    for (const device of [...this.best.scenario.devices].reverse()) {
      const s = this.best.scenario;
      if (s.devices.length <= 1 || s.steps.some((step) => mentions(step, device.id))) continue;
      await this.attempt({ ...s, devices: s.devices.filter((d) => d.id !== device.id) });
    }
  }

  private async shortenDuration(): Promise<void> {
    const s = this.best.scenario;
    const last = s.steps.reduce((max, step) => Math.max(max, step.at), 0);
    const duration = Math.ceil(last / 1000) * 1000;
    if (duration < s.duration) await this.attempt({ ...s, duration });
  }

  private async calmNetwork(): Promise<void> {
    const s = this.best.scenario;
    if (Object.keys(s.network).length === 0) return;
    if (await this.attempt({ ...s, network: {} })) return;
    for (const key of Object.keys(s.network) as Array<keyof Scenario['network']>) {
      const network = { ...this.best.scenario.network };
      delete network[key];
      await this.attempt({ ...this.best.scenario, network });
    }
  }

  /** Drop counts and storage failures toward 1, rate limits and clock steps toward plain values. */
  private async simplifySteps(): Promise<void> {
    for (let i = 0; i < this.best.scenario.steps.length && !this.exhausted; i++) {
      const step = this.best.scenario.steps[i]!;
      const simpler = simplerStep(step);
      if (simpler === null) continue;
      const steps = [...this.best.scenario.steps];
      steps[i] = simpler;
      await this.attempt({ ...this.best.scenario, steps });
    }
  }

  private async zeroSkews(): Promise<void> {
    for (let i = 0; i < this.best.scenario.devices.length && !this.exhausted; i++) {
      const device = this.best.scenario.devices[i]!;
      if (device.skew === 0 && device.drift === undefined) continue;
      const devices = [...this.best.scenario.devices];
      devices[i] = { id: device.id, skew: 0, ...(device.user !== undefined && { user: device.user }) };
      await this.attempt({ ...this.best.scenario, devices });
    }
  }
}

function simplerStep(step: Step): Step | null {
  switch (step.kind) {
    case 'drop':
      return step.rule.count > 1 ? { ...step, rule: { ...step.rule, count: 1 } } : null;
    case 'storage':
      return step.failWrites > 1 ? { ...step, failWrites: 1 } : null;
    case 'clock':
      return step.drift !== undefined ? { kind: 'clock', at: step.at, line: step.line, column: step.column, device: step.device, skew: step.skew } : null;
    default:
      return null;
  }
}

function mentions(step: Step, device: string): boolean {
  if ('device' in step && step.device === device) return true;
  if (step.kind === 'partition') return step.groups.some((g) => g.includes(device));
  if (step.kind === 'drop') return step.rule.from === device || step.rule.to === device;
  return false;
}

/** After removing steps: updates and deletes of a task no remaining step creates first go too. */
function repairSteps(steps: readonly Step[]): Step[] {
  const created = new Set<string>();
  return steps.filter((step) => {
    if (step.kind === 'create') created.add(step.task);
    if (step.kind === 'createMany') for (let i = 1; i <= step.count; i++) created.add(`${step.task}-${i}`);
    if (step.kind === 'update' || step.kind === 'delete') return created.has(step.task);
    return true;
  });
}
