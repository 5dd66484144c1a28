import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkImports, cycleInRules, describeViolation, importsOf, type SourceFile } from './import-check.ts';
import { roomOf, RULES, SOURCE_ROOTS } from './rooms.ts';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const SOURCE = /\.(ts|tsx|mts|js|mjs|jsx)$/;
const SKIPPED = new Set(['node_modules', 'dist', 'build']);

/** Every source file under the source roots, by repository-relative posix path. */
function sourceFiles(): SourceFile[] {
  const files: SourceFile[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED.has(entry.name) && !entry.name.startsWith('.')) walk(full);
      } else if (SOURCE.test(entry.name)) {
        files.push({ path: relative(repo, full).split(sep).join('/'), text: readFileSync(full, 'utf8') });
      }
    }
  };
  for (const root of SOURCE_ROOTS) if (existsSync(join(repo, root))) walk(join(repo, root));
  return files;
}

const fake = (path: string, text: string): SourceFile => ({ path, text });

describe('the doors between rooms', () => {
  it('every import in src, viewer, adapters and examples goes through a door of the table', () => {
    const files = sourceFiles();
    expect(files.length).toBeGreaterThan(100);
    expect(checkImports(files).map(describeViolation)).toEqual([]);
  });

  it('the doors point one way: the table has no cycle', () => {
    expect(cycleInRules()).toBeNull();
  });

  it('every file is in a room the table knows', () => {
    const unknown = sourceFiles().map((file) => roomOf(file.path)).filter((room) => room === null || !Object.hasOwn(RULES, room));
    expect(unknown).toEqual([]);
  });
});

describe('the checker', () => {
  it('names a wrong import: the file, the import and the rule', () => {
    const violations = checkImports([
      fake('src/check/x.ts', "import { World } from '../world/world.ts';\n"),
      fake('src/world/world.ts', 'export class World {}\n'),
    ]);
    expect(violations).toEqual([{ file: 'src/check/x.ts', specifier: '../world/world.ts', rule: 'room check may not import room world' }]);
    expect(describeViolation(violations[0]!)).toBe('src/check/x.ts: imports ../world/world.ts (room check may not import room world)');
  });

  it('holds the engine contract: an engine may not reach into the simulator', () => {
    const violations = checkImports([
      fake('src/engines/reference/x.ts', "import { Kernel } from '../../kernel/index.ts';\nimport type { EnginePorts } from '../ports.ts';\n"),
      fake('src/engines/ports.ts', "export type { TimerHandle } from '../kernel/device-timers.ts';\n"),
      fake('src/kernel/x.ts', "import type { EnginePorts } from '../engines/ports.ts';\n"),
    ]).map(describeViolation);
    expect(violations).toEqual([
      'src/engines/reference/x.ts: imports ../../kernel/index.ts (room engines/reference may not import room kernel)',
      'src/engines/ports.ts: imports ../kernel/device-timers.ts (room engines may not import room kernel)',
      'src/kernel/x.ts: imports ../engines/ports.ts (room kernel may not import room engines)',
    ]);
  });

  it('holds narrowed doors: only some files, only types', () => {
    const violations = checkImports([
      fake('src/engines/engine.ts', "import type { TraceSink } from '../trace/recorder.ts';\nimport { x } from '../trace/events.ts';\nimport type { TaskValue } from '../trace/events.ts';\n"),
    ]).map((v) => v.rule);
    expect(violations).toEqual([
      'room engines may import only src/trace/events.ts of room trace',
      'room engines may import only types (import type) from room trace',
    ]);
  });

  it('holds packages: an engine or a checker imports no node built-ins, only syncsim/msw imports msw', () => {
    const violations = checkImports([
      fake('src/check/x.ts', "import { readFileSync } from 'node:fs';\n"),
      fake('src/engines/naive/x.ts', "const fs = await import('node:fs');\n"),
      fake('src/world/x.ts', "import { readFileSync } from 'node:fs';\n"),
      fake('src/server/x.ts', "import { setupServer } from 'msw/node';\n"),
      fake('src/msw/x.ts', "import { http } from 'msw';\n"),
    ]).map(describeViolation);
    expect(violations).toEqual([
      'src/check/x.ts: imports node:fs (room check may not import package node:fs)',
      'src/engines/naive/x.ts: imports node:fs (room engines/naive may not import package node:fs)',
      'src/server/x.ts: imports msw/node (only room msw may import package msw/node)',
    ]);
  });

  it('holds outsiders to the public API, and src to its rooms', () => {
    const violations = checkImports([
      fake('examples/engine/index.ts', "import { defineEngine } from 'syncsim';\nimport { helper } from './helper.ts';\nimport { Kernel } from '../../src/kernel/index.ts';\nimport { x } from 'syncsim/src/kernel/index.ts';\n"),
      fake('adapters/rxdb/src/engine.ts', "import { y } from '../../../src/engines/engine.ts';\n"),
      fake('viewer/src/x.tsx', "import { World } from '../../src/world/index.ts';\nimport { readTrace } from '../../src/trace/index.ts';\n"),
      fake('src/fuzz/x.ts', "import { pingApp } from '../../test/support/ping-app.ts';\n"),
      fake('src/newroom/x.ts', "import { assert } from '../kernel/index.ts';\n"),
    ]).map(describeViolation);
    expect(violations).toEqual([
      "examples/engine/index.ts: imports ../../src/kernel/index.ts (examples may import only 'syncsim', not our files)",
      "examples/engine/index.ts: imports syncsim/src/kernel/index.ts (examples may import only the public entries (syncsim, syncsim/msw), not syncsim/src/kernel/index.ts)",
      "adapters/rxdb/src/engine.ts: imports ../../../src/engines/engine.ts (adapters may import only 'syncsim', not our files)",
      'viewer/src/x.tsx: imports ../../src/world/index.ts (room viewer may not import room world)',
      'src/fuzz/x.ts: imports ../../test/support/ping-app.ts (room fuzz may not import test/support/ping-app.ts: it is in no room)',
      'src/newroom/x.ts: imports ../kernel/index.ts (room newroom is not in the table of rooms)',
    ]);
  });

  it('reads every form of import that names its module', () => {
    const found = importsOf(fake('src/x.ts', [
      "import a from './a.ts';",
      "import type { B } from './b.ts';",
      "import './c.ts';",
      "export { d } from './d.ts';",
      "export type { E } from './e.ts';",
      "export * from './f.ts';",
      "const g = await import('./g.ts');",
      "type H = import('./h.ts').H;",
      'const i = await import(somePath);',
      "// import { j } from './j.ts';",
    ].join('\n')));
    expect(found).toEqual([
      { specifier: './a.ts', typeOnly: false },
      { specifier: './b.ts', typeOnly: true },
      { specifier: './c.ts', typeOnly: false },
      { specifier: './d.ts', typeOnly: false },
      { specifier: './e.ts', typeOnly: true },
      { specifier: './f.ts', typeOnly: false },
      { specifier: './g.ts', typeOnly: false },
      { specifier: './h.ts', typeOnly: true },
    ]);
  });
});
