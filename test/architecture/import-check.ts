import { posix } from 'node:path';
import ts from 'typescript';
import { isRoom, OUTSIDERS, PACKAGE_OWNERS, PUBLIC_ENTRIES, roomOf, RULES, withoutExtension, type Door, type Room } from './rooms.ts';

/** A source file, by its repository-relative posix path. */
export interface SourceFile {
  path: string;
  text: string;
}

export interface Import {
  specifier: string;
  /** `import type` / `export type` / `import('…')` in a type: erased, no code runs. */
  typeOnly: boolean;
}

export interface Violation {
  file: string;
  specifier: string;
  rule: string;
}

/** Every import of a file that names its module with a string: static, re-export, dynamic, `import()` types. */
export function importsOf(file: SourceFile): Import[] {
  const kind = /\.(tsx|jsx)$/.test(file.path) ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  const source = ts.createSourceFile(file.path, file.text, ts.ScriptTarget.Latest, false, kind);
  const found: Import[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push({ specifier: node.moduleSpecifier.text, typeOnly: node.importClause?.isTypeOnly ?? false });
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier !== undefined && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push({ specifier: node.moduleSpecifier.text, typeOnly: node.isTypeOnly });
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteral(node.moduleReference.expression)) {
      found.push({ specifier: node.moduleReference.expression.text, typeOnly: node.isTypeOnly });
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [argument] = node.arguments;
      // A computed module name (an engine module the user names) is no door between rooms.
      if (argument !== undefined && ts.isStringLiteralLike(argument)) found.push({ specifier: argument.text, typeOnly: false });
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      found.push({ specifier: node.argument.literal.text, typeOnly: true });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Every import in `files` that the table of rooms does not allow. */
export function checkImports(files: readonly SourceFile[]): Violation[] {
  return files.flatMap((file) => importsOf(file).flatMap((imported) => {
    const rule = brokenRule(file.path, imported);
    return rule === null ? [] : [{ file: file.path, specifier: imported.specifier, rule }];
  }));
}

/** `file: imports X (room a may not import room b)`. */
export function describeViolation(violation: Violation): string {
  return `${violation.file}: imports ${violation.specifier} (${violation.rule})`;
}

/** Why `file` may not import `imported`, or null when it may. */
function brokenRule(file: string, imported: Import): string | null {
  const from = roomOf(file);
  if (from === null) return null;
  if (!isRoom(from)) return `room ${from} is not in the table of rooms`;
  const isRelative = imported.specifier.startsWith('.') || imported.specifier.startsWith('/');
  if (!isRelative) return packageRule(from, imported.specifier);
  const target = posix.normalize(posix.join(posix.dirname(file), imported.specifier));
  if (OUTSIDERS.has(from)) return packageFolder(target) === packageFolder(file) ? null : `${from} may import only 'syncsim', not our files`;
  const to = roomOf(target);
  if (to === from) return null;
  if (to === null) return `room ${from} may not import ${target}: it is in no room`;
  const door = doorOf(from, to);
  if (door === undefined) return `room ${from} may not import room ${to}`;
  if (door.only !== undefined && !door.only.some((allowed) => withoutExtension(allowed) === withoutExtension(target))) {
    return `room ${from} may import only ${door.only.join(', ')} of room ${to}`;
  }
  if (door.typeOnly === true && !imported.typeOnly) return `room ${from} may import only types (import type) from room ${to}`;
  return null;
}

function doorOf(from: Room, to: string): Door | undefined {
  for (const door of RULES[from].doors) {
    const entry = typeof door === 'string' ? { to: door } : door;
    if (entry.to === to) return entry;
  }
  return undefined;
}

function packageRule(from: Room, specifier: string): string | null {
  if (OUTSIDERS.has(from)) {
    return specifier.startsWith('syncsim/') && !PUBLIC_ENTRIES.has(specifier) ? `${from} may import only the public entries (${[...PUBLIC_ENTRIES].join(', ')}), not ${specifier}` : null;
  }
  const owners = PACKAGE_OWNERS[packageName(specifier)];
  if (owners !== undefined && !owners.includes(from)) return `only room ${owners.join(', ')} may import package ${specifier}`;
  const allowed = RULES[from].packages;
  if (allowed === undefined || allowed.includes(specifier)) return null;
  return `room ${from} may not import package ${specifier}`;
}

/** `msw/node` → `msw`, `@scope/name/sub` → `@scope/name`. */
function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/** An outsider's package: `adapters/<name>` or `examples/<name>`. */
function packageFolder(path: string): string {
  return path.split('/').slice(0, 2).join('/');
}

/** The door graph of the table: a cycle means some door does not point one way. */
export function cycleInRules(): Room[] | null {
  const state = new Map<Room, 'open' | 'done'>();
  const path: Room[] = [];
  const visit = (room: Room): Room[] | null => {
    if (state.get(room) === 'done') return null;
    if (state.get(room) === 'open') return [...path.slice(path.indexOf(room)), room];
    state.set(room, 'open');
    path.push(room);
    for (const door of RULES[room].doors) {
      const cycle = visit(typeof door === 'string' ? door : door.to);
      if (cycle !== null) return cycle;
    }
    path.pop();
    state.set(room, 'done');
    return null;
  };
  for (const room of Object.keys(RULES) as Room[]) {
    const cycle = visit(room);
    if (cycle !== null) return cycle;
  }
  return null;
}
