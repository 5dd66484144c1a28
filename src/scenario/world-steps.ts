import type { DropRule } from '../net/index.ts';
import type { Pos } from './errors.ts';
import type { LNode } from './located.ts';
import { readConditions } from './network.ts';
import { at, type Reader } from './read.ts';
import { SERVER, type NodeRefs } from './refs.ts';
import type { RateLimit, StepBase, WorldStep } from './types.ts';

export const WORLD_ACTIONS = ['drop', 'partition', 'heal', 'crash', 'restart', 'server', 'network', 'clock'] as const;
export type WorldAction = (typeof WORLD_ACTIONS)[number];
const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'];

/** Faults and changes to the world: the actions of a step without `device`. */
export class WorldStepReader {
  constructor(
    private readonly read: Reader,
    private readonly refs: NodeRefs,
  ) {}

  step(action: WorldAction, value: LNode, base: StepBase): WorldStep | undefined {
    const r = this.read;
    switch (action) {
      case 'drop': {
        const rule = this.dropRule(value);
        return rule && { ...base, kind: 'drop', rule };
      }
      case 'partition': {
        const groups = this.partition(value);
        return groups && { ...base, kind: 'partition', groups };
      }
      case 'heal':
        return r.isTrue(value, 'heal') ? { ...base, kind: 'heal' } : undefined;
      case 'crash':
      case 'restart': {
        const device = this.refs.device(value, action);
        return device === undefined ? undefined : { ...base, kind: action, device };
      }
      case 'server':
        return this.server(value, base);
      case 'network': {
        const conditions = readConditions(r, value, 'network');
        if (conditions && Object.keys(conditions).length === 0) {
          r.issues.add(value.pos, 'network step changes nothing; give latency, drop, duplicate or reorder');
          return undefined;
        }
        return conditions && { ...base, kind: 'network', conditions };
      }
      case 'clock': {
        const f = r.map(value, 'clock', ['device', 'skew', 'drift']);
        if (!f) return undefined;
        const deviceNode = f.required('device');
        const device = deviceNode && this.refs.device(deviceNode, 'clock.device');
        const skewNode = f.required('skew');
        const skew = skewNode && r.duration(skewNode, 'skew', { allowNegative: true });
        const driftNode = f.get('drift');
        const drift = driftNode && r.number(driftNode, 'drift (ppm)');
        if (device === undefined || skew === undefined) return undefined;
        return { ...base, kind: 'clock', device, skew, ...(drift !== undefined && { drift }) };
      }
    }
  }

  private server(value: LNode, base: StepBase): WorldStep | undefined {
    const r = this.read;
    const f = r.map(value, 'server', ['unavailable', 'rateLimit', 'quota', 'restart']);
    if (!f) return undefined;
    const [key, extra] = f.keys;
    if (key === undefined) {
      r.issues.add(f.pos, 'server step changes nothing; give one of unavailable, rateLimit, quota, restart');
      return undefined;
    }
    if (extra !== undefined) {
      r.issues.add(f.entry(extra)!.keyPos, `server step has more than one change (${f.keys.join(', ')}); give one per step`);
      return undefined;
    }
    const node = f.get(key)!;
    switch (key) {
      case 'unavailable': {
        const ms = r.duration(node, 'server.unavailable');
        return ms === undefined ? undefined : { ...base, kind: 'server-unavailable', ms };
      }
      case 'rateLimit': {
        const limit = this.rateLimit(node);
        return limit === undefined ? undefined : { ...base, kind: 'server-rate-limit', limit };
      }
      case 'quota': {
        const limit = isNull(node) ? null : r.number(node, 'server.quota', { integer: true, min: 0 });
        return limit === undefined ? undefined : { ...base, kind: 'server-quota', limit };
      }
      default:
        return r.isTrue(node, 'server.restart') ? { ...base, kind: 'server-restart' } : undefined;
    }
  }

  /** `null`, `0` or `capacity: 0` turn the limit off. */
  private rateLimit(node: LNode): RateLimit | null | undefined {
    const r = this.read;
    if (isNull(node) || (node.type === 'scalar' && node.value === 0)) return null;
    const f = r.map(node, 'rateLimit', ['capacity', 'refillPerSecond']);
    if (!f) return undefined;
    const capNode = f.required('capacity');
    const capacity = capNode && r.number(capNode, 'rateLimit.capacity', { min: 0 });
    const refillNode = f.required('refillPerSecond');
    const refillPerSecond = refillNode && r.number(refillNode, 'rateLimit.refillPerSecond', { min: 0 });
    if (capacity === undefined || refillPerSecond === undefined) return undefined;
    return capacity === 0 ? null : { capacity, refillPerSecond };
  }

  private dropRule(value: LNode): DropRule | undefined {
    const r = this.read;
    const f = r.map(value, 'drop', ['from', 'to', 'match', 'count']);
    if (!f) return undefined;
    const fromNode = f.get('from');
    const toNode = f.get('to');
    const from = fromNode && this.refs.node(fromNode, 'drop.from');
    const to = toNode && this.refs.node(toNode, 'drop.to');
    if (fromNode && toNode && from !== undefined && from === to) r.issues.add(toNode.pos, `drop.from and drop.to are both ${from}; a node sends nothing to itself`);
    else if (toNode && from !== undefined && to !== undefined && from !== SERVER && to !== SERVER) {
      r.issues.add(toNode.pos, `a drop from ${from} to ${to} never matches: devices talk only to the server`);
    }
    const matchNode = f.required('match');
    const match = matchNode && this.match(matchNode);
    const countNode = f.required('count');
    const count = countNode && r.number(countNode, 'drop.count', { integer: true, positive: true });
    if (match === undefined || count === undefined) return undefined;
    return { ...(from !== undefined && { from }), ...(to !== undefined && { to }), match, count };
  }

  /** `*` or `METHOD /path-prefix`, normalised to upper case and one space. */
  private match(node: LNode): string | undefined {
    const text = this.read.string(node, 'drop.match');
    if (text === undefined) return undefined;
    const trimmed = text.trim();
    if (trimmed === '*') return '*';
    const parts = trimmed.split(/\s+/);
    const [method = '', path = ''] = parts;
    if (parts.length === 2 && HTTP_METHODS.includes(method.toUpperCase()) && path.startsWith('/')) return `${method.toUpperCase()} ${path}`;
    const why = parts.length === 2 && !HTTP_METHODS.includes(method.toUpperCase()) ? ` (unknown HTTP method ${method}; expected one of ${HTTP_METHODS.join(', ')})` : '';
    this.read.issues.add(node.pos, `drop.match ${JSON.stringify(text)} must be "*" or "METHOD /path-prefix"${why}`);
    return undefined;
  }

  private partition(value: LNode): string[][] | undefined {
    const r = this.read;
    const list = r.seq(value, 'partition');
    if (!list) return undefined;
    if (list.items.length === 0) r.issues.add(list.pos, 'partition needs at least one group, e.g. [[phone], [ipad, server]]');
    const seen = new Map<string, Pos>();
    const groups: string[][] = [];
    for (const item of list.items) {
      const group = r.seq(item, 'a partition group');
      if (!group) continue;
      if (group.items.length === 0) r.issues.add(group.pos, 'a partition group must not be empty');
      const nodes: string[] = [];
      for (const member of group.items) {
        const node = this.refs.node(member, 'partition node');
        if (node === undefined) continue;
        const first = seen.get(node);
        if (first) r.issues.add(member.pos, `${node} is in the partition twice (first at ${at(first)})`);
        else seen.set(node, member.pos);
        nodes.push(node);
      }
      groups.push(nodes);
    }
    return groups;
  }
}

function isNull(node: LNode): boolean {
  return node.type === 'scalar' && node.value === null;
}
