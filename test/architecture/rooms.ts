/**
 * The rooms of syncsim and which room may import which (STYLE.md, "Doors are one way").
 * Every door is an entry here; one that STYLE.md does not state outright says why.
 */

export type Room =
  | 'kernel' | 'trace' | 'net' | 'server' | 'remote'
  | 'engines' | 'engines/registry' | 'engines/reference' | 'engines/naive' | 'engines/mutants'
  | 'scenario' | 'check' | 'world' | 'report' | 'fuzz' | 'conform' | 'files' | 'viewer-server' | 'api' | 'serve' | 'cli' | 'index.ts' | 'msw'
  | 'viewer' | 'adapters' | 'examples';

/** A door to a room; `only` narrows it to some of that room's files, `typeOnly` to `import type`. */
export interface Door {
  to: Room;
  only?: readonly string[];
  typeOnly?: boolean;
  why?: string;
}

export interface RoomRule {
  /** The rooms this one may import, besides itself. */
  doors: ReadonlyArray<Room | Door>;
  /** When given, the only packages (bare specifiers, `node:` built-ins included) it may import. */
  packages?: readonly string[];
}

/** Outsiders see only the public API, as a user's package would: `import ... from 'syncsim'`. */
export const OUTSIDERS: ReadonlySet<Room> = new Set<Room>(['adapters', 'examples']);

/** The package's public entries (package.json `exports`): all an outsider may import of syncsim. */
export const PUBLIC_ENTRIES: ReadonlySet<string> = new Set(['syncsim', 'syncsim/msw']);

const SIMULATION: Room[] = ['kernel', 'trace', 'net', 'server'];
const ENGINES: Room[] = ['engines', 'engines/registry', 'engines/reference', 'engines/naive', 'engines/mutants'];
const HARNESS: Room[] = ['scenario', 'check', 'world', 'report', 'fuzz', 'conform'];

export const RULES: Readonly<Record<Room, RoomRule>> = {
  // node:module wraps Node's own modules for simulated code (real-io.ts); node:async_hooks follows a device through continuations.
  kernel: { doors: [], packages: ['seedrandom', 'node:async_hooks', 'node:crypto', 'node:module'] },
  trace: { doors: [{ to: 'kernel', only: ['src/kernel/assert.ts'], why: 'the recorder asserts its invariants' }], packages: ['node:crypto'] },
  net: {
    doors: ['kernel', { to: 'trace', why: 'the network records messages, drops and faults in the trace' }],
    packages: ['node:zlib'],
  },
  server: { doors: [] },
  // A real server in the model's place (run/fuzz --server): its client, its front, what its replies say it decided.
  remote: {
    doors: [{ to: 'server', only: ['src/server/rate-limit.ts', 'src/server/types.ts', 'src/server/errors.ts'], why: "the front plays the model's rate limit and answers with its 503/429; decisions are the model's event type" }],
    packages: ['node:http', 'node:https', 'node:zlib', 'node:child_process'],
  },
  // The engine contract (engine.ts, ports.ts, define.ts): implemented by the simulator, importing none of it.
  engines: {
    doors: [{ to: 'trace', only: ['src/trace/events.ts'], typeOnly: true, why: 'the fields of the trace events an engine records are the trace format' }],
    packages: [],
  },
  // The engines themselves run on their ports alone (a real app could host them): no packages, not even node: built-ins.
  'engines/reference': { doors: ['engines'], packages: [] },
  'engines/naive': { doors: ['engines'], packages: [] },
  'engines/mutants': { doors: ['engines', { to: 'engines/reference', why: 'a mutant is reference with one defect' }], packages: [] },
  // registry.ts, resolve.ts, engine-spec.ts: which engines exist and how a name or module path finds one.
  'engines/registry': { doors: ['engines', 'engines/reference', 'engines/naive', 'engines/mutants'] },
  scenario: {
    doors: [
      { to: 'net', typeOnly: true, why: "a scenario's network conditions, drop rules and connections are the network's own types" },
      { to: 'engines/registry', only: ['src/engines/engine-spec.ts'], why: "the loader checks how a file names its engine, without loading it" },
    ],
  },
  check: { doors: ['trace'], packages: [] },
  // The one place that knows everybody, except the engines themselves: an engine is handed in as a descriptor.
  world: { doors: ['kernel', 'net', 'trace', 'server', 'remote', 'engines', 'scenario', 'check'] },
  report: { doors: ['trace', 'check', { to: 'world', typeOnly: true, why: 'a run summary reports a run outcome' }] },
  fuzz: { doors: ['kernel', 'net', 'trace', 'remote', 'engines', 'engines/registry', 'scenario', 'check', 'world', 'report'] },
  conform: { doors: ['trace', 'engines', 'engines/registry', 'scenario', 'check', 'world', 'fuzz', 'report'] },
  // Scenario files in, run outputs (trace, summary, table) out: what `syncsim run` does, for the CLI and the library.
  files: { doors: ['trace', 'remote', 'engines', 'engines/registry', 'scenario', 'check', 'world', 'report', 'fuzz'] },
  // The viewer's static server and where its prebuilt files are; Vite only as the checkout's fallback build.
  'viewer-server': { doors: [] },
  // The library functions of SPEC §9 (runScenario, fuzz, checkTrace, readTrace) over the harness.
  api: {
    doors: [
      'trace', { to: 'remote', typeOnly: true, why: 'runs and campaigns may name a real server' }, 'engines', 'engines/registry', 'scenario', 'check', 'world', 'fuzz',
      { to: 'conform', only: ['src/conform/server/suite.ts', 'src/conform/server/report.ts'], why: 'conformServer is the API suite of `conform --server`, as a library call' },
    ],
  },
  // `syncsim serve` assembled: the model behind node:http with its journal, fault injector and trace.
  serve: { doors: ['server', 'trace'] },
  // `syncsim/msw`, an entry of its own: the server model as msw request handlers.
  msw: { doors: ['server'] },
  'index.ts': { doors: [...SIMULATION, 'remote', ...ENGINES, ...HARNESS, 'files', 'viewer-server', 'api'] },
  cli: { doors: [...SIMULATION, 'remote', ...ENGINES, ...HARNESS, 'files', 'viewer-server', 'api', 'serve', 'index.ts'] },
  viewer: { doors: ['trace', 'check'] },
  adapters: { doors: [] },
  examples: { doors: [] },
};

/** Packages only some rooms may import, whatever the rooms' own lists say. */
export const PACKAGE_OWNERS: Readonly<Record<string, readonly Room[]>> = {
  // An optional peer dependency: `syncsim` itself must load without it.
  msw: ['msw'],
};

/** Source folders the checker reads, relative to the repository root. */
export const SOURCE_ROOTS = ['src', 'viewer/src', 'adapters', 'examples'];

const ENGINE_REGISTRY_FILES = new Set(['registry', 'resolve', 'engine-spec']);
const ENGINE_FOLDERS = new Set(['reference', 'naive', 'mutants']);

/**
 * The room of a repository-relative path (posix), or null outside every room (test/,
 * bench/, node_modules, …). A src/ folder the table does not know is a room of that name,
 * so a new folder fails the test until the table gives it doors.
 */
export function roomOf(path: string): string | null {
  const parts = path.split('/');
  const [top, first, second] = parts;
  if (top === 'viewer') return 'viewer';
  if (top === 'adapters' || top === 'examples') return top;
  if (top !== 'src' || first === undefined) return null;
  if (parts.length === 2) return first;
  if (first !== 'engines') return first;
  if (parts.length === 3) return ENGINE_REGISTRY_FILES.has(withoutExtension(second!)) ? 'engines/registry' : 'engines';
  return ENGINE_FOLDERS.has(second!) ? `engines/${second}` : 'engines';
}

/** `events.ts`, `events.js` and `events` name the same module. */
export function withoutExtension(path: string): string {
  return path.replace(/\.(d\.ts|ts|tsx|mts|js|mjs|jsx)$/, '');
}

export function isRoom(name: string): name is Room {
  return Object.hasOwn(RULES, name);
}
