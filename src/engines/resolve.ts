import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import type { EngineDescriptor } from './engine.ts';
import { isModulePath } from './engine-spec.ts';
import { findEngine } from './registry.ts';

/** An engine that cannot be used as named (unknown name, missing file, bad module): the user's mistake, told in one line. */
export class EngineLoadError extends Error {
  override name = 'EngineLoadError';
}

/** An engine ready to run, and how to name it again from another thread or file. */
export interface ResolvedEngine {
  descriptor: EngineDescriptor;
  /** The built-in name, or the module's absolute path (a file or a package folder): the same engine from any folder. */
  spec: string;
  /** For a module engine: the file that was loaded. */
  module?: string;
}

/** Loaded modules by absolute path, so every seed and every shrink candidate reuses one load. */
const loaded = new Map<string, Promise<{ descriptor: EngineDescriptor; module: string }>>();

/**
 * Resolves an engine as a user names it (SPEC §3.1): a module path relative to `base` (the
 * working directory on the CLI, the scenario file's folder for its `engine:` field), or a
 * built-in name. Rejects with an EngineLoadError when it cannot be used.
 */
export async function resolveEngine(spec: string, base: string): Promise<ResolvedEngine> {
  if (!isModulePath(spec)) {
    const descriptor = findEngine(spec);
    if (descriptor === undefined) throw new EngineLoadError(`unknown engine "${spec}" (see syncsim engines, or give a module path such as ./my-engine.ts)`);
    return { descriptor, spec };
  }
  const path = resolve(base, spec);
  let entry = loaded.get(path);
  if (entry === undefined) {
    entry = loadModule(spec, path);
    loaded.set(path, entry);
    // A module that failed to load is tried again next time (the user may have fixed it).
    entry.catch(() => loaded.delete(path));
  }
  const { descriptor, module } = await entry;
  return { descriptor, spec: path, module };
}

async function loadModule(spec: string, path: string): Promise<{ descriptor: EngineDescriptor; module: string }> {
  const module = entryFile(spec, path);
  const namespace = await importModule(spec, module);
  return { descriptor: descriptorOf(spec, namespace), module };
}

/** The file to import: the path itself, or the entry a package folder's package.json names. */
function entryFile(spec: string, path: string): string {
  if (!existsSync(path)) throw new EngineLoadError(`engine module "${spec}": no such file or folder (${path})`);
  if (!statSync(path).isDirectory()) return path;
  const manifest = join(path, 'package.json');
  if (!existsSync(manifest)) throw new EngineLoadError(`engine module "${spec}": the folder has no package.json to name its entry`);
  let pkg: unknown;
  try {
    pkg = JSON.parse(readFileSync(manifest, 'utf8'));
  } catch (error) {
    throw new EngineLoadError(`engine module "${spec}": ${manifest} is not valid JSON (${oneLine(error)})`);
  }
  const named = packageEntry(pkg);
  if (named === undefined) throw new EngineLoadError(`engine module "${spec}": ${manifest} names no entry (exports ".", module or main)`);
  const file = resolve(path, named);
  if (!existsSync(file) || statSync(file).isDirectory()) throw new EngineLoadError(`engine module "${spec}": the package's entry ${named} is not a file (${file})`);
  return file;
}

/** `exports` "." (a string, or import/node/default conditions), else `module`, else `main`. */
function packageEntry(pkg: unknown): string | undefined {
  if (typeof pkg !== 'object' || pkg === null) return undefined;
  const { exports, module, main } = pkg as Record<string, unknown>;
  const dot = typeof exports === 'object' && exports !== null && '.' in exports ? (exports as Record<string, unknown>)['.'] : exports;
  return conditionalTarget(dot, 0) ?? (typeof module === 'string' ? module : undefined) ?? (typeof main === 'string' ? main : undefined);
}

const CONDITIONS = new Set(['import', 'node', 'default']);

/** An export target: a string, or the first matching condition in key order (nested at most a few levels). */
function conditionalTarget(target: unknown, depth: number): string | undefined {
  if (typeof target === 'string') return target;
  if (typeof target !== 'object' || target === null || Array.isArray(target) || depth > 4) return undefined;
  for (const [condition, value] of Object.entries(target)) {
    if (!CONDITIONS.has(condition)) continue;
    const found = conditionalTarget(value, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

const TYPESCRIPT = new Set(['.ts', '.mts', '.cts']);

/** TypeScript through tsx, which needs no configuration from the user; JavaScript natively. */
async function importModule(spec: string, file: string): Promise<Record<string, unknown>> {
  const url = pathToFileURL(file).href;
  try {
    const namespace: unknown = TYPESCRIPT.has(extname(file)) ? await tsImport(url, import.meta.url) : await import(url);
    return namespace as Record<string, unknown>;
  } catch (error) {
    throw new EngineLoadError(`engine module "${spec}": cannot load ${file}: ${oneLine(error)}`);
  }
}

/** The module's default export, checked to be a descriptor `{ name, summary?, create(ports) }`. */
function descriptorOf(spec: string, namespace: Record<string, unknown>): EngineDescriptor {
  let value = namespace.default;
  // A .ts file that tsx compiled as CommonJS (no "type": "module" near it) wraps its default export once more.
  if (isObject(value) && value.__esModule === true && 'default' in value) value = value.default;
  if (value === undefined) notADescriptor(spec, 'it has no default export');
  if (!isObject(value)) notADescriptor(spec, `its default export is ${value === null ? 'null' : `a ${typeof value}`}, not a descriptor object`);
  const { name, summary, create, portsOnly } = value;
  if (typeof name !== 'string' || name.trim() === '') notADescriptor(spec, 'its default export has no name (a non-empty string)');
  if (typeof create !== 'function') notADescriptor(spec, 'its default export has no create(ports) function');
  if (summary !== undefined && typeof summary !== 'string') notADescriptor(spec, 'its default export\'s summary is not a string');
  if (portsOnly !== undefined && typeof portsOnly !== 'boolean') notADescriptor(spec, 'its default export\'s portsOnly is not a boolean');
  return {
    name,
    summary: summary ?? `engine module ${spec}`,
    ...(portsOnly === true && { portsOnly }),
    create: (ports) => (create as EngineDescriptor['create']).call(value, ports),
  };
}

function notADescriptor(spec: string, why: string): never {
  throw new EngineLoadError(`engine module "${spec}": ${why}; expected export default { name: 'my-engine', create(ports) { ... } }`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** An error's message on one line (esbuild's reports span several). */
function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n').map((l) => l.trim()).filter((l) => l !== '').join(' ').slice(0, 500);
}

/** The folder a scenario file's `engine:` is relative to. */
export function scenarioFolder(file: string): string {
  return dirname(resolve(file));
}
