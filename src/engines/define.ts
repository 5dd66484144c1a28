import type { EngineFactory } from './engine.ts';

/** What an engine module's default export is (SPEC §3.1): a plain object, no class to extend. */
export interface EngineModuleDescriptor {
  /** How traces and reports name the engine (`run.start.engine`). */
  name: string;
  /** One line for `syncsim engines` and reports. */
  summary?: string;
  /** Called once per app incarnation: launch, and each restart after a crash or an OS kill. */
  create: EngineFactory;
  /**
   * The engine reads nothing of the platform directly (no Date, timers, Math.random or
   * library that does): only its ports. Runs then skip following each device through
   * promise continuations (SPEC §3.2), which costs every promise a little. Default false.
   */
  portsOnly?: boolean;
}

/** Types an engine module's descriptor and returns it unchanged; a plain object works as well. */
export function defineEngine<D extends EngineModuleDescriptor>(descriptor: D): D {
  return descriptor;
}
