import type { EngineDescriptor } from './engine.ts';
import { mutantEngines } from './mutants/index.ts';
import { naiveEngine } from './naive/index.ts';
import { referenceEngine } from './reference/index.ts';

/** Every engine the CLI can name, in the order `syncsim engines` lists them. */
export const engines: EngineDescriptor[] = [referenceEngine, naiveEngine, ...mutantEngines];

/** `reference`, `naive` or `mutant:<name>`. */
export function findEngine(name: string): EngineDescriptor | undefined {
  return engines.find((engine) => engine.name === name);
}
