import { isAbsolute, relative, resolve, sep } from 'node:path';

/**
 * How an engine is named wherever a user names one (SPEC §3.1): a value that contains `/`
 * or ends in `.js`, `.mjs`, `.ts` or `.mts` is a module path; anything else is a built-in
 * name. Kept apart from the loader so that the scenario reader can check a file's
 * `engine:` without loading anything.
 */
const MODULE_EXTENSION = /\.(js|mjs|ts|mts)$/;

/** A built-in engine's name: `reference`, `naive` or `mutant:<name>`. */
export const BUILT_IN_ENGINE = /^(reference|naive|mutant:[a-z0-9-]+)$/;

export function isModulePath(spec: string): boolean {
  return spec.includes('/') || MODULE_EXTENSION.test(spec);
}

/** Whether `spec` is spelled like an engine (it may still fail to load): a module path or a built-in name. */
export function isEngineSpec(spec: string): boolean {
  if (isModulePath(spec)) return spec.trim() === spec && !/[\u0000-\u001f]/.test(spec);
  return BUILT_IN_ENGINE.test(spec);
}

/**
 * How a file in `dir` names the same engine: a built-in name as it is, a module by its
 * path relative to `dir` (spelled with `./` or `../`, so it reads as a path), or absolute
 * when no relative path exists (another drive).
 */
export function engineSpecFrom(dir: string, spec: string): string {
  if (!isModulePath(spec) || !isAbsolute(spec)) return spec;
  const rel = relative(resolve(dir), spec);
  if (rel === '' || isAbsolute(rel)) return spec;
  const posix = rel.split(sep).join('/');
  return posix.startsWith('../') ? posix : `./${posix}`;
}
