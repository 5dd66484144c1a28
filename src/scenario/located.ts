import { isAlias, isMap, isScalar, isSeq, visit, type Alias, type Document, type LineCounter, type Node } from 'yaml';
import type { Issues, Pos } from './errors.ts';
import { SCENARIO_LIMITS } from './limits.ts';

/**
 * The parsed file as plain values that keep their positions, so every check can point at
 * the node it is about. Aliases are resolved here, once.
 */
export type LNode = LMap | LSeq | LScalar;

export interface LMap {
  type: 'map';
  pos: Pos;
  entries: LEntry[];
}

export interface LEntry {
  key: string;
  keyPos: Pos;
  value: LNode;
}

export interface LSeq {
  type: 'seq';
  pos: Pos;
  items: LNode[];
}

export interface LScalar {
  type: 'scalar';
  pos: Pos;
  value: string | number | boolean | null;
}

/** Thrown when aliases expand the document past SCENARIO_LIMITS.nodes: the walk stops there. */
class TooManyNodes extends Error {
  constructor(readonly pos: Pos) {
    super('too many nodes');
  }
}

/**
 * What each alias refers to: the last node with its anchor before it, as YAML defines it.
 * Found in one walk of the document (yaml's own `Alias.resolve` walks it for every alias).
 */
function aliasTargets(doc: Document): Map<Alias, Node> {
  const anchors = new Map<string, Node>();
  const targets = new Map<Alias, Node>();
  visit(doc, {
    Node(_key, node) {
      if (isAlias(node)) {
        const target = anchors.get(node.source);
        if (target !== undefined) targets.set(node, target);
      } else if (node.anchor !== undefined) anchors.set(node.anchor, node);
    },
  });
  return targets;
}

/**
 * Converts a parsed document; unusable parts are reported and become null scalars. Aliases
 * are expanded at most up to SCENARIO_LIMITS.nodes nodes in all (an alias bomb, nine levels
 * of ten aliases, would be a billion), else one issue at the alias that went past it.
 */
export function locate(doc: Document, lines: LineCounter, issues: Issues): LNode | null {
  try {
    return locateNodes(doc, lines, issues);
  } catch (error) {
    if (!(error instanceof TooManyNodes)) throw error;
    issues.add(error.pos, `aliases expand the document past ${SCENARIO_LIMITS.nodes} values; a scenario file has fewer (is this an alias bomb?)`);
    return null;
  }
}

function locateNodes(doc: Document, lines: LineCounter, issues: Issues): LNode | null {
  const posOf = (node: { range?: [number, number, number] | null } | null | undefined, fallback: Pos): Pos => {
    const offset = node?.range?.[0];
    if (offset === undefined) return fallback;
    const { line, col } = lines.linePos(offset);
    return { line, column: col };
  };
  const resolving = new Set<Node>();
  // Found on the first alias: most files have none.
  let targets: Map<Alias, Node> | null = null;
  let converted = 0;
  /** The outermost alias being expanded: where a bomb is reported. */
  let aliasPos: Pos | null = null;

  const convert = (node: unknown, fallback: Pos): LNode => {
    if (++converted > SCENARIO_LIMITS.nodes) throw new TooManyNodes(aliasPos ?? fallback);
    if (node === null || node === undefined) return { type: 'scalar', pos: fallback, value: null };
    if (isAlias(node)) {
      const pos = posOf(node, fallback);
      targets ??= aliasTargets(doc);
      const target = targets.get(node);
      if (target === undefined) {
        issues.add(pos, `unknown alias *${node.source}`);
        return { type: 'scalar', pos, value: null };
      }
      if (resolving.has(target)) {
        issues.add(pos, `alias *${node.source} refers to itself`);
        return { type: 'scalar', pos, value: null };
      }
      resolving.add(target);
      const outer = aliasPos;
      aliasPos ??= pos;
      const value = convert(target, pos);
      aliasPos = outer;
      resolving.delete(target);
      // A value reached through an alias is reported where the alias is used.
      return { ...value, pos };
    }
    if (isScalar(node)) {
      const pos = posOf(node, fallback);
      const v = node.value;
      const value = v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : String(v);
      return { type: 'scalar', pos, value };
    }
    if (isSeq(node)) {
      const pos = posOf(node, fallback);
      return { type: 'seq', pos, items: node.items.map((item) => convert(item, pos)) };
    }
    if (isMap(node)) {
      const pos = posOf(node, fallback);
      const entries: LEntry[] = [];
      for (const pair of node.items) {
        const keyPos = posOf(pair.key as Node | null, pos);
        const key = convert(pair.key, pos);
        if (key.type !== 'scalar' || key.value === null) {
          issues.add(keyPos, 'a key must be a plain name');
          continue;
        }
        entries.push({ key: String(key.value), keyPos, value: convert(pair.value, keyPos) });
      }
      return { type: 'map', pos, entries };
    }
    issues.add(fallback, 'unsupported YAML node');
    return { type: 'scalar', pos: fallback, value: null };
  };

  return doc.contents === null ? null : convert(doc.contents, { line: 1, column: 1 });
}
