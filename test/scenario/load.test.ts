import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario, parseScenario, ScenarioError, type Step } from '../../src/scenario/index.ts';

const fixture = (name: string) => join(import.meta.dirname, 'fixtures', name);

/** The steps as [kind, at] pairs, the shape a reader checks first. */
const timeline = (steps: Step[]) => steps.map((s) => [s.kind, s.at]);

describe('loadScenario: the SPEC §2 example', () => {
  const scenario = loadScenario(fixture('spec-example.yaml'));

  it('reads the header, devices and network in ms', () => {
    expect(scenario).toMatchObject({
      name: 'lost-ack-create',
      description: 'The server applies a create but its reply is lost; the retry must not duplicate.',
      seed: 7,
      engine: 'reference',
      duration: 120_000,
      devices: [{ id: 'phone', skew: 0 }, { id: 'ipad', skew: -90_000 }],
      network: { latency: { min: 20, max: 150 }, drop: 0, duplicate: 0, reorder: true },
      finalHeal: true,
      file: fixture('spec-example.yaml'),
    });
    expect(scenario.expect).toEqual({ tasks: { t1: { deleted: true } }, syncLatency: { max: 5_000 }, violations: ['no-duplicates'] });
  });

  it('reads every step, in file order, with its kind and time', () => {
    expect(timeline(scenario.steps)).toEqual([
      ['create', 0], ['drop', 1_000], ['update', 2_000], ['delete', 3_000], ['partition', 4_000],
      ['app', 5_000], ['app', 6_000], ['app', 7_000], ['connection', 8_000],
      ['heal', 9_000], ['backgroundRefresh', 9_000], ['offline', 10_000], ['storage', 10_000],
      ['online', 20_000], ['crash', 21_000], ['restart', 25_000], ['server-unavailable', 30_000],
      ['server-rate-limit', 31_000], ['network', 40_000], ['clock', 41_000], ['sync', 50_000],
    ]);
  });

  it('keeps each step\'s fields and source location', () => {
    const [create, drop, update, del, partition, background] = scenario.steps;
    expect(create).toEqual({ kind: 'create', at: 0, line: 18, column: 5, device: 'phone', task: 't1', title: 'Buy milk' });
    expect(drop).toEqual({ kind: 'drop', at: 1_000, line: 19, column: 5, rule: { from: 'server', to: 'phone', match: 'POST /v1/tasks', count: 1 } });
    expect(update).toMatchObject({ kind: 'update', device: 'ipad', task: 't1', title: 'Buy oat milk', completed: true });
    expect(del).toMatchObject({ kind: 'delete', device: 'phone', task: 't1' });
    expect(partition).toMatchObject({ kind: 'partition', groups: [['phone'], ['ipad', 'server']] });
    expect(background).toMatchObject({ kind: 'app', device: 'phone', state: 'background', line: 23 });
    const byKind = (kind: Step['kind']) => scenario.steps.filter((s) => s.kind === kind);
    expect(byKind('app').map((s) => s.kind === 'app' && s.state)).toEqual(['background', 'foreground', 'terminate']);
    expect(byKind('connection')).toMatchObject([{ device: 'phone', connection: 'cellular' }]);
    expect(byKind('backgroundRefresh')).toMatchObject([{ device: 'phone', ms: 30_000 }]);
    expect(byKind('storage')).toMatchObject([{ device: 'phone', failWrites: 2 }]);
    expect(byKind('crash')).toMatchObject([{ device: 'phone', line: 34 }]);
    expect(byKind('server-unavailable')).toMatchObject([{ ms: 60_000 }]);
    expect(byKind('server-rate-limit')).toMatchObject([{ limit: { capacity: 5, refillPerSecond: 1 } }]);
    expect(byKind('network')).toMatchObject([{ conditions: { drop: 0.3 } }]);
    expect(byKind('clock')).toMatchObject([{ device: 'ipad', skew: 300_000 }]);
    expect(byKind('sync')).toMatchObject([{ device: 'ipad', line: 40, column: 5 }]);
  });
});

describe('loadScenario: JSON', () => {
  it('loads a .json file with the same model', () => {
    const scenario = loadScenario(fixture('json-create.json'));
    expect(scenario).toMatchObject({
      name: 'json-create',
      duration: 60_000,
      devices: [{ id: 'phone', skew: -2_000, drift: 50, user: 'alice' }, { id: 'ipad', skew: 0 }],
      network: { latency: { min: 10, max: 1_000 }, reorder: false },
      finalHeal: false,
      expect: { tasks: { t1: { title: 'Buy milk', completed: false } } },
    });
    expect(scenario.seed).toBeUndefined();
    expect(scenario.engine).toBeUndefined();
    expect(scenario.steps).toEqual([
      { kind: 'create', at: 1_000, line: 8, column: 3, device: 'phone', task: 't1', title: 'Buy milk', completed: false },
      { kind: 'sync', at: 1_500, line: 9, column: 3, device: 'ipad' },
      { kind: 'server-quota', at: 2_000, line: 10, column: 3, limit: 10 },
      { kind: 'server-restart', at: 3_000, line: 11, column: 3 },
    ]);
  });

  it('locates errors in JSON too', () => {
    const text = '{\n  "name": "j",\n  "description": "d",\n  "duration": "1m",\n  "devices": [{ "id": "phone", "colour": "red" }]\n}\n';
    expect(() => parseScenario(text, 'x.json')).toThrow("x.json:5:32: unknown key 'colour' in device; expected one of id, skew, drift, user");
    expect(() => parseScenario('{ "name": "j",\n  "description" "d" }', 'x.json')).toThrow('x.json:2:17: JSON syntax: Unexpected string');
    expect(() => parseScenario('{ "name": "j",\n  "description": "d"\n', 'x.json')).toThrow("x.json:3:1: JSON syntax: Expected ',' or '}' after property value");
  });

  it('parses .json as JSON: a trailing comma or a comment is an error, where YAML would accept it', () => {
    const good = '{\n  "name": "j",\n  "description": "d",\n  "duration": "1m",\n  "devices": [{ "id": "phone" }]\n}\n';
    expect(parseScenario(good, 'x.json').name).toBe('j');
    expect(() => parseScenario(good.replace('"phone" }]', '"phone" },]'), 'x.json')).toThrow("x.json:5:33: JSON syntax: Unexpected token ']'");
    expect(() => parseScenario(good.replace('"1m",', '"1m", # a minute'), 'x.json')).toThrow('x.json:4:21: JSON syntax: Expected double-quoted property name');
    expect(() => parseScenario(good.replace('"phone" }]\n', '"phone" }],\n'), 'x.json')).toThrow('x.json:6:1: JSON syntax: Expected double-quoted property name');
    // The same text as YAML is fine.
    expect(parseScenario(good.replace('"phone" }]', '"phone" },]'), 'x.yaml').name).toBe('j');
  });
});

describe('loadScenario: files', () => {
  it('reports a file it cannot read as a ScenarioError', () => {
    const dir = mkdtempSync(join(tmpdir(), 'syncsim-scenario-'));
    const missing = join(dir, 'missing.yaml');
    expect(() => loadScenario(missing)).toThrow(ScenarioError);
    expect(() => loadScenario(missing)).toThrow(new RegExp(`^${missing.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:1:1: cannot read the file: ENOENT`));
  });

  it('reads a file written with a byte-order mark and CRLF line ends', () => {
    const dir = mkdtempSync(join(tmpdir(), 'syncsim-scenario-'));
    const file = join(dir, 'bom.yaml');
    writeFileSync(file, '\uFEFFname: bom\r\ndescription: d\r\nduration: 5s\r\ndevices: [{ id: phone }]\r\nsteps:\r\n  - { at: 1s, device: phone, sync: true }\r\n');
    expect(loadScenario(file).steps).toEqual([{ kind: 'sync', at: 1_000, line: 6, column: 5, device: 'phone' }]);
  });
});

describe('parseScenario: defaults and normal forms', () => {
  const header = 'name: d\ndescription: d\nduration: 1m\ndevices: [{ id: phone }, { id: ipad }]\n';

  it('defaults network, steps, expect and finalHeal', () => {
    expect(parseScenario(header, 'f.yaml')).toEqual({
      name: 'd', description: 'd', duration: 60_000, devices: [{ id: 'phone', skew: 0 }, { id: 'ipad', skew: 0 }],
      network: {}, steps: [], expect: {}, finalHeal: true, file: 'f.yaml',
    });
  });

  it('normalises server switches, drop matches and clock drift', () => {
    const s = parseScenario(`${header}steps:
  - { at: 0, server: { rateLimit: null } }
  - { at: 0, server: { rateLimit: 0 } }
  - { at: 0, server: { rateLimit: { capacity: 0, refillPerSecond: 3 } } }
  - { at: 0, server: { rateLimit: { capacity: 2.5, refillPerSecond: 0 } } }
  - { at: 0, server: { quota: null } }
  - { at: 0, server: { quota: 0 } }
  - { at: 0, server: { unavailable: 0 } }
  - { at: 0, drop: { match: "  post   /v1/sync ", count: 2 } }
  - { at: 0, drop: { to: ipad, match: "*", count: 1 } }
  - { at: 1m, clock: { device: phone, skew: -1.5s, drift: -20.5 } }
`, 'f.yaml');
    expect(s.steps.map(({ at, line, column, ...rest }) => rest)).toEqual([
      { kind: 'server-rate-limit', limit: null },
      { kind: 'server-rate-limit', limit: null },
      { kind: 'server-rate-limit', limit: null },
      { kind: 'server-rate-limit', limit: { capacity: 2.5, refillPerSecond: 0 } },
      { kind: 'server-quota', limit: null },
      { kind: 'server-quota', limit: 0 },
      { kind: 'server-unavailable', ms: 0 },
      { kind: 'drop', rule: { match: 'POST /v1/sync', count: 2 } },
      { kind: 'drop', rule: { to: 'ipad', match: '*', count: 1 } },
      { kind: 'clock', device: 'phone', skew: -1_500, drift: -20.5 },
    ]);
  });

  it('lets steps at the same time create and then use a task, in file order', () => {
    const s = parseScenario(`${header}steps:
  - { at: 1s, device: phone, create: { task: T_1, title: a } }
  - { at: 1s, device: ipad, update: { task: T_1, completed: true } }
  - { at: 1s, device: ipad, delete: { task: T_1 } }
expect: { tasks: { T_1: { deleted: true } } }
`, 'f.yaml');
    expect(s.steps.map((step) => [step.kind, step.line])).toEqual([['create', 6], ['update', 7], ['delete', 8]]);
  });

  it('resolves YAML anchors and aliases', () => {
    const s = parseScenario(`${header}steps:
  - { at: 1s, device: phone, create: &milk { task: t1, title: milk } }
  - { at: 2s, partition: &split [[phone], [ipad, server]] }
  - { at: 3s, heal: true }
  - { at: 4s, partition: *split }
`, 'f.yaml');
    expect(s.steps[3]).toMatchObject({ kind: 'partition', groups: [['phone'], ['ipad', 'server']], line: 9 });
  });
});
