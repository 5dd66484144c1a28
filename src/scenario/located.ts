import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import type { Issues, Pos } from './errors.ts';

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

/** Converts a parsed document; unusable parts are reported and become null scalars. */
export function locate(doc: Document, lines: LineCounter, issues: Issues): LNode | null {
  const posOf = (node: { range?: [number, number, number] | null } | null | undefined, fallback: Pos): Pos => {
    const offset = node?.range?.[0];
    if (offset === undefined) return fallback;
    const { line, col } = lines.linePos(offset);
    return { line, column: col };
  };
  const resolving = new Set<Node>();

  const convert = (node: unknown, fallback: Pos): LNode => {
    if (node === null || node === undefined) return { type: 'scalar', pos: fallback, value: null };
    if (isAlias(node)) {
      const pos = posOf(node, fallback);
      const target = node.resolve(doc);
      if (target === undefined) {
        issues.add(pos, `unknown alias *${node.source}`);
        return { type: 'scalar', pos, value: null };
      }
      if (resolving.has(target)) {
        issues.add(pos, `alias *${node.source} refers to itself`);
        return { type: 'scalar', pos, value: null };
      }
      resolving.add(target);
      const value = convert(target, pos);
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
