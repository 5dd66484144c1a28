import type { NetworkConditions } from '../net/index.ts';
import type { LNode } from './located.ts';
import { kindOf, type Reader } from './read.ts';

/** Network conditions as a file gives them (top-level defaults or a `network` step); every field optional. */
export function readConditions(r: Reader, node: LNode, what: string): Partial<NetworkConditions> | undefined {
  const f = r.map(node, what, ['latency', 'drop', 'duplicate', 'reorder']);
  if (!f) return undefined;
  const before = r.issues.count;
  const out: Partial<NetworkConditions> = {};
  const latencyNode = f.get('latency');
  if (latencyNode) {
    const l = r.map(latencyNode, `${what}.latency`, ['min', 'max']);
    const minNode = l?.required('min');
    const maxNode = l?.required('max');
    const min = minNode && r.duration(minNode, 'latency.min');
    const max = maxNode && r.duration(maxNode, 'latency.max');
    if (maxNode && min !== undefined && max !== undefined) {
      if (min > max) r.issues.add(maxNode.pos, `latency.max ${kindOf(maxNode)} is less than latency.min ${kindOf(minNode!)}`);
      else out.latency = { min, max };
    }
  }
  for (const key of ['drop', 'duplicate'] as const) {
    const n = f.get(key);
    const p = n && r.number(n, `${what}.${key}`, { min: 0, max: 1, noun: 'a probability' });
    if (p !== undefined) out[key] = p;
  }
  const reorderNode = f.get('reorder');
  const reorder = reorderNode && r.boolean(reorderNode, `${what}.reorder`);
  if (reorder !== undefined) out.reorder = reorder;
  return r.issues.count === before ? out : undefined;
}
