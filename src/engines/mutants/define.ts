import type { EngineDescriptor } from '../engine.ts';
import type { Defects } from '../reference/defects.ts';
import { ReferenceEngine } from '../reference/engine.ts';

/** A mutant engine: `reference` with exactly one defect injected through `Defects`. */
export function defineMutant(name: string, summary: string, breaks: string, defects: Defects): EngineDescriptor {
  return { name: `mutant:${name}`, summary, breaks, create: (ports) => new ReferenceEngine(ports, defects), portsOnly: true };
}
