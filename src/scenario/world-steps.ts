import type { DropRule } from '../net/index.ts';
import type { Pos } from './errors.ts';
import type { LNode } from './located.ts';
import { readConditions } from './network.ts';
import { at, type Reader } from './read.ts';
import { SERVER, type NodeRefs } from './refs.ts';
import type { StepKindTable } from './step-kind.ts';
import type { RateLimit } from './types.ts';
import { conditions, dur, num, str } from './yaml-text.ts';

const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'];

/**
 * Faults and changes to the world: the steps without `device`. The `server` kinds share
 * one action key, a mapping with exactly one of their subkeys (in this order).
 */
export const WORLD_STEP_KINDS = {
  drop: {
    key: 'drop',
    device: false,
    example: 'drop: { from: server, to: phone, match: "POST /v1/tasks", count: 1 }',
    read(value, start, { read, refs }) {
      const rule = dropRule(read, refs, value);
      return rule && { ...start, kind: 'drop', rule };
    },
    write({ rule: r }) {
      const fields: string[] = [];
      if (r.from !== undefined) fields.push(`from: ${str(r.from)}`);
      if (r.to !== undefined) fields.push(`to: ${str(r.to)}`);
      fields.push(`match: ${JSON.stringify(r.match)}`, `count: ${r.count}`);
      return `{ ${fields.join(', ')} }`;
    },
  },
  partition: {
    key: 'partition',
    device: false,
    example: 'partition: [[phone], [ipad, server]]',
    read(value, start, { read, refs }) {
      const groups = partition(read, refs, value);
      return groups && { ...start, kind: 'partition', groups };
    },
    write: (step) => `[${step.groups.map((g) => `[${g.map(str).join(', ')}]`).join(', ')}]`,
  },
  heal: {
    key: 'heal',
    device: false,
    example: 'heal: true',
    read: (value, start, { read: r }) => (r.isTrue(value, 'heal') ? { ...start, kind: 'heal' } : undefined),
    write: () => 'true',
  },
  crash: {
    key: 'crash',
    device: false,
    example: 'crash: phone',
    read(value, start, { refs }) {
      const device = refs.device(value, 'crash');
      return device === undefined ? undefined : { ...start, kind: 'crash', device };
    },
    write: (step) => str(step.device),
  },
  restart: {
    key: 'restart',
    device: false,
    example: 'restart: phone',
    read(value, start, { refs }) {
      const device = refs.device(value, 'restart');
      return device === undefined ? undefined : { ...start, kind: 'restart', device };
    },
    write: (step) => str(step.device),
  },
  'server-unavailable': {
    key: 'server',
    subkey: 'unavailable',
    device: false,
    example: 'server: { unavailable: 30s }',
    read(value, start, { read: r }) {
      const ms = r.duration(value, 'server.unavailable');
      return ms === undefined ? undefined : { ...start, kind: 'server-unavailable', ms };
    },
    write: (step) => dur(step.ms),
  },
  'server-rate-limit': {
    key: 'server',
    subkey: 'rateLimit',
    device: false,
    example: 'server: { rateLimit: { capacity: 5, refillPerSecond: 1 } }',
    read(value, start, { read }) {
      const limit = rateLimit(read, value);
      return limit === undefined ? undefined : { ...start, kind: 'server-rate-limit', limit };
    },
    write: ({ limit }) => (limit === null ? '0' : `{ capacity: ${num(limit.capacity)}, refillPerSecond: ${num(limit.refillPerSecond)} }`),
  },
  'server-quota': {
    key: 'server',
    subkey: 'quota',
    device: false,
    example: 'server: { quota: 100 }',
    read(value, start, { read: r }) {
      const limit = isNull(value) ? null : r.number(value, 'server.quota', { integer: true, min: 0 });
      return limit === undefined ? undefined : { ...start, kind: 'server-quota', limit };
    },
    write: ({ limit }) => (limit === null ? 'null' : String(limit)),
  },
  'server-restart': {
    key: 'server',
    subkey: 'restart',
    device: false,
    example: 'server: { restart: true }',
    read: (value, start, { read: r }) => (r.isTrue(value, 'server.restart') ? { ...start, kind: 'server-restart' } : undefined),
    write: () => 'true',
  },
  network: {
    key: 'network',
    device: false,
    example: 'network: { latency: { min: 20ms, max: 150ms }, drop: 0.3, duplicate: 0, reorder: false }',
    read(value, start, { read: r }) {
      const conditions = readConditions(r, value, 'network');
      if (conditions && Object.keys(conditions).length === 0) {
        r.issues.add(value.pos, 'network step changes nothing; give latency, drop, duplicate or reorder');
        return undefined;
      }
      return conditions && { ...start, kind: 'network', conditions };
    },
    write: (step) => conditions(step.conditions),
  },
  clock: {
    key: 'clock',
    device: false,
    deviceHint: '; put it inside clock',
    example: 'clock: { device: ipad, skew: -90s, drift: 50 }',
    read(value, start, { read: r, refs }) {
      const f = r.map(value, 'clock', ['device', 'skew', 'drift']);
      if (!f) return undefined;
      const deviceNode = f.required('device');
      const device = deviceNode && refs.device(deviceNode, 'clock.device');
      const skewNode = f.required('skew');
      const skew = skewNode && r.duration(skewNode, 'skew', { allowNegative: true });
      const driftNode = f.get('drift');
      const drift = driftNode && r.number(driftNode, 'drift (ppm)');
      if (device === undefined || skew === undefined) return undefined;
      return { ...start, kind: 'clock', device, skew, ...(drift !== undefined && { drift }) };
    },
    write: (step) => `{ device: ${str(step.device)}, skew: ${dur(step.skew)}${step.drift !== undefined ? `, drift: ${num(step.drift)}` : ''} }`,
  },
} satisfies StepKindTable<
  'drop' | 'partition' | 'heal' | 'crash' | 'restart' | 'server-unavailable' | 'server-rate-limit' | 'server-quota' | 'server-restart' | 'network' | 'clock'
>;

/** `null`, `0` or `capacity: 0` turn the limit off. */
function rateLimit(r: Reader, node: LNode): RateLimit | null | undefined {
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

function dropRule(r: Reader, refs: NodeRefs, value: LNode): DropRule | undefined {
  const f = r.map(value, 'drop', ['from', 'to', 'match', 'count']);
  if (!f) return undefined;
  const fromNode = f.get('from');
  const toNode = f.get('to');
  const from = fromNode && refs.node(fromNode, 'drop.from');
  const to = toNode && refs.node(toNode, 'drop.to');
  if (fromNode && toNode && from !== undefined && from === to) r.issues.add(toNode.pos, `drop.from and drop.to are both ${from}; a node sends nothing to itself`);
  else if (toNode && from !== undefined && to !== undefined && from !== SERVER && to !== SERVER) {
    r.issues.add(toNode.pos, `a drop from ${from} to ${to} never matches: devices talk only to the server`);
  }
  const matchNode = f.required('match');
  const match = matchNode && dropMatch(r, matchNode);
  const countNode = f.required('count');
  const count = countNode && r.number(countNode, 'drop.count', { integer: true, positive: true });
  if (match === undefined || count === undefined) return undefined;
  return { ...(from !== undefined && { from }), ...(to !== undefined && { to }), match, count };
}

/** `*` or `METHOD /path-prefix`, normalised to upper case and one space. */
function dropMatch(r: Reader, node: LNode): string | undefined {
  const text = r.string(node, 'drop.match');
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  if (trimmed === '*') return '*';
  const parts = trimmed.split(/\s+/);
  const [method = '', path = ''] = parts;
  if (parts.length === 2 && HTTP_METHODS.includes(method.toUpperCase()) && path.startsWith('/')) return `${method.toUpperCase()} ${path}`;
  const why = parts.length === 2 && !HTTP_METHODS.includes(method.toUpperCase()) ? ` (unknown HTTP method ${method}; expected one of ${HTTP_METHODS.join(', ')})` : '';
  r.issues.add(node.pos, `drop.match ${JSON.stringify(text)} must be "*" or "METHOD /path-prefix"${why}`);
  return undefined;
}

function partition(r: Reader, refs: NodeRefs, value: LNode): string[][] | undefined {
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
      const node = refs.node(member, 'partition node');
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

function isNull(node: LNode): boolean {
  return node.type === 'scalar' && node.value === null;
}
