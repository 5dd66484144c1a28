import type { EngineModuleDescriptor } from '../engines/define.ts';
import type { EngineDescriptor } from '../engines/engine.ts';
import { EngineLoadError, resolveEngine } from '../engines/resolve.ts';

/** How a library caller names an engine (SPEC §9): a descriptor object, a built-in name or a module path. */
export type EngineOption = EngineModuleDescriptor | EngineDescriptor | string;

/** A descriptor as the world runs it; a module path is relative to `base`. Rejects with an EngineLoadError. */
export async function engineFrom(option: EngineOption, base: string): Promise<EngineDescriptor> {
  if (typeof option === 'string') return (await resolveEngine(option, base)).descriptor;
  return descriptorObject(option);
}

/** Checks a descriptor handed in as an object, as the module loader checks a default export. */
export function descriptorObject(option: EngineModuleDescriptor | EngineDescriptor): EngineDescriptor {
  const value: unknown = option;
  if (typeof value !== 'object' || value === null) throw new EngineLoadError(`engine: expected a descriptor { name, create(ports) }, a built-in name or a module path, got ${value === null ? 'null' : typeof value}`);
  if (typeof option.name !== 'string' || option.name.trim() === '') throw new EngineLoadError('engine: the descriptor has no name (a non-empty string)');
  if (typeof option.create !== 'function') throw new EngineLoadError(`engine "${option.name}": the descriptor has no create(ports) function`);
  if (option.portsOnly !== undefined && typeof option.portsOnly !== 'boolean') throw new EngineLoadError(`engine "${option.name}": portsOnly must be a boolean`);
  return { ...option, name: option.name, summary: option.summary ?? `engine ${option.name}`, create: (ports) => option.create.call(option, ports) };
}
