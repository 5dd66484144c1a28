import type { NetworkConditions } from '../net/index.ts';
import { formatDuration } from './duration.ts';

// How values are spelled when a scenario is written back as a file (SPEC §2): the loader's
// inverse, kept beside it so a step kind's reader and writer live in one entry.

const PLAIN = /^[A-Za-z_][A-Za-z0-9_:-]*$/;
const RESERVED = /^(true|false|null|yes|no|on|off|y|n)$/i;

/** A name as a plain scalar when YAML reads it back as that same string, else quoted. */
export function str(s: string): string {
  return PLAIN.test(s) && !RESERVED.test(s) && !s.endsWith(':') ? s : JSON.stringify(s);
}

export function dur(ms: number): string {
  return formatDuration(ms);
}

export function num(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError(`not a finite number: ${n}`);
  return String(n);
}

/** Network conditions as a flow map: the scenario's defaults and a `network` step. */
export function conditions(c: Partial<NetworkConditions>): string {
  const fields: string[] = [];
  if (c.latency !== undefined) fields.push(`latency: { min: ${dur(c.latency.min)}, max: ${dur(c.latency.max)} }`);
  if (c.drop !== undefined) fields.push(`drop: ${num(c.drop)}`);
  if (c.duplicate !== undefined) fields.push(`duplicate: ${num(c.duplicate)}`);
  if (c.reorder !== undefined) fields.push(`reorder: ${c.reorder}`);
  return `{ ${fields.join(', ')} }`;
}
