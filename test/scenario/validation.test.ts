import { describe, expect, it } from 'vitest';
import { parseScenario, ScenarioError, type ScenarioIssue } from '../../src/scenario/index.ts';

/** The issues a file produces (it must be refused). */
function issuesOf(text: string, file = 'bad.yaml'): readonly ScenarioIssue[] {
  try {
    parseScenario(text, file);
  } catch (error) {
    if (error instanceof ScenarioError) return error.issues;
    throw error;
  }
  throw new Error('the file was accepted');
}

/** The `file:line:col: message` lines a file produces. */
const lines = (text: string) => issuesOf(text).map((i) => `${i.file}:${i.line}:${i.column}: ${i.message}`);

/** Asserts the file is refused with exactly one issue, matching `want` (a full line or a pattern). */
function refuses(text: string, want: string | RegExp): void {
  const got = lines(text);
  expect(got, got.join('\n')).toHaveLength(1);
  if (typeof want === 'string') expect(got[0]).toBe(want);
  else expect(got[0]).toMatch(want);
}

/**
 * `line:col` of the `nth` occurrence of `token` in `text`, so an expected location says
 * which token the error must point at instead of a hand-counted column.
 */
function where(text: string, token: string, nth = 1): string {
  let index = -1;
  for (let i = 0; i < nth; i++) {
    index = text.indexOf(token, index + 1);
    if (index < 0) throw new Error(`no occurrence ${nth} of ${token}`);
  }
  const before = text.slice(0, index).split('\n');
  return `${before.length}:${before.at(-1)!.length + 1}`;
}

/** Asserts the file is refused with exactly one issue, at `token`, with `message` (a string or pattern). */
function refusesAt(text: string, token: string | [string, number], message: string | RegExp): void {
  const [t, nth] = typeof token === 'string' ? [token, 1] : token;
  const prefix = `bad.yaml:${where(text, t, nth)}: `;
  if (typeof message === 'string') refuses(text, prefix + message);
  else refuses(text, new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}${message.source.replace(/^\^/, '')}`));
}

// Four header lines, so steps start at line 6 (`steps:` is line 5) and each step's map at column 5.
const HEADER = 'name: s\ndescription: d\nduration: 1m\ndevices: [{ id: phone }, { id: ipad }]\n';
const withSteps = (...steps: string[]) => `${HEADER}steps:\n${steps.map((s) => `  - ${s}\n`).join('')}`;
const CREATE_T1 = '{ at: 0s, device: phone, create: { task: t1, title: a } }';

describe('the header', () => {
  it('requires name, description, duration and devices', () => {
    expect(lines('seed: 1\n')).toEqual([
      "bad.yaml:1:1: scenario is missing 'name'",
      "bad.yaml:1:1: scenario is missing 'description'",
      "bad.yaml:1:1: scenario is missing 'duration'",
      "bad.yaml:1:1: scenario is missing 'devices'",
    ]);
  });

  it('checks the name', () => {
    refuses(HEADER.replace('name: s', 'name: Lost_Ack'), 'bad.yaml:1:7: name "Lost_Ack" must match [a-z0-9-]+');
    refuses(HEADER.replace('name: s', 'name: 12'), 'bad.yaml:1:7: name must be a string, got 12');
  });

  it('needs a non-empty description', () => {
    refuses(HEADER.replace('description: d', 'description: "  "'), 'bad.yaml:2:14: description must not be empty');
    refuses(HEADER.replace('description: d', 'description:'), 'bad.yaml:2:13: description must be a string, got nothing');
  });

  it('checks the duration', () => {
    refuses(HEADER.replace('duration: 1m', 'duration: -1m'), 'bad.yaml:3:11: duration must not be negative, got -1m');
    refuses(HEADER.replace('duration: 1m', 'duration: 1 minute'), /^bad\.yaml:3:11: duration must be a duration \(.*\), got "1 minute"$/);
    refuses(HEADER.replace('duration: 1m', 'duration: 1.5'), 'bad.yaml:3:11: duration must be a whole number of ms, got 1.5');
  });

  it('checks seed, engine and finalHeal', () => {
    refuses(`${HEADER}seed: -3\n`, 'bad.yaml:5:7: seed must be an integer >= 0, got -3');
    refuses(`${HEADER}seed: 1.5\n`, /seed must be an integer >= 0, got 1.5$/);
    refuses(`${HEADER}seed: "7"\n`, /seed must be an integer >= 0, got "7"$/);
    refuses(`${HEADER}engine: mutant\n`, 'bad.yaml:5:9: engine "mutant" must match reference, naive or mutant:<name>, or be a module path (./my-engine.ts: a .js, .mjs, .ts or .mts file, or a package folder)');
    refuses(`${HEADER}engine: " ./padded.ts"\n`, /^bad.yaml:5:9: engine " .\/padded.ts" must match/);
    refuses(`${HEADER}engine: fancy\n`, /engine "fancy" must match/);
    refuses(`${HEADER}finalHeal: yes\n`, 'bad.yaml:5:12: finalHeal must be true or false, got "yes"');
    // Module paths are checked for their spelling only; they load when the scenario runs.
    for (const engine of ['reference', 'naive', 'mutant:no-idempotency-key', './engine.ts', '../engines/mine.mjs', 'engine.js', '/abs/engine.mts', './my-engine-package']) {
      expect(parseScenario(`${HEADER}engine: ${engine}\n`, 'ok.yaml').engine).toBe(engine);
    }
  });

  it('refuses unknown keys at the top', () => {
    refuses(`${HEADER}sed: 1\n`, "bad.yaml:5:1: unknown key 'sed' in scenario; expected one of name, description, seed, engine, duration, devices, network, steps, expect, finalHeal");
  });

  it('refuses a file that is not a mapping, or empty', () => {
    refuses('- a\n- b\n', 'bad.yaml:1:1: scenario must be a mapping, got a list');
    refuses('# only a comment\n', /^bad\.yaml:1:1: the file is empty/);
  });
});

describe('devices', () => {
  const devices = (list: string) => HEADER.replace('devices: [{ id: phone }, { id: ipad }]', `devices: ${list}`);

  it('needs a non-empty list', () => {
    refuses(devices('[]'), 'bad.yaml:4:10: devices must list at least one device');
    refuses(devices('phone'), 'bad.yaml:4:10: devices must be a list, got "phone"');
  });

  it('needs unique, well-formed ids that are not server', () => {
    // Columns counted by hand: `devices: [{ id: phone }, { id: phone }]`.
    refuses(devices('[{ id: phone }, { id: phone }]'), "bad.yaml:4:32: duplicate device id 'phone' (first at 4:17)");
    refuses(devices('[{ id: server }]'), "bad.yaml:4:17: device id 'server' is reserved for the server");
    refuses(devices('[{ id: My-Phone }]'), 'bad.yaml:4:17: device id "My-Phone" must match [a-z0-9-]+');
    refuses(devices('[{ skew: 1s }]'), "bad.yaml:4:11: device is missing 'id'");
  });

  it('checks skew, drift and user', () => {
    let t = devices('[{ id: phone, skew: 90 seconds }]');
    refusesAt(t, '90 seconds', /skew must be a duration \(.*\), got "90 seconds"$/);
    t = devices('[{ id: phone, drift: fast }]');
    refusesAt(t, 'fast', 'drift (ppm) must be a number, got "fast"');
    t = devices('[{ id: phone, user: "a b" }]');
    refusesAt(t, '"a b"', 'user "a b" must match [A-Za-z0-9_-]+');
    t = devices('[{ id: phone, colour: red }]');
    refusesAt(t, 'colour', "unknown key 'colour' in device; expected one of id, skew, drift, user");
  });

  it('does not pile up errors on steps that name a malformed device', () => {
    refuses(`${devices('[{ id: Phone }]')}steps:\n  - { at: 0, device: Phone, sync: true }\n`, 'bad.yaml:4:17: device id "Phone" must match [a-z0-9-]+');
  });
});

describe('network', () => {
  const network = (value: string) => `${HEADER}network: ${value}\n`;

  it('checks latency', () => {
    refuses(network('{ latency: { min: 2s, max: 1s } }'), 'bad.yaml:5:37: latency.max "1s" is less than latency.min "2s"');
    refuses(network('{ latency: { min: 10ms } }'), "bad.yaml:5:21: network.latency is missing 'max'");
    refuses(network('{ latency: { min: -10ms, max: 1s } }'), 'bad.yaml:5:28: latency.min must not be negative, got -10ms');
    refuses(network('{ latency: 100ms }'), 'bad.yaml:5:21: network.latency must be a mapping, got "100ms"');
  });

  it('checks probabilities and reorder', () => {
    refuses(network('{ drop: 1.5 }'), 'bad.yaml:5:18: network.drop must be a probability in [0, 1], got 1.5');
    refuses(network('{ duplicate: -0.1 }'), 'bad.yaml:5:23: network.duplicate must be a probability in [0, 1], got -0.1');
    refuses(network('{ drop: "10%" }'), /network\.drop must be a probability in \[0, 1\], got "10%"$/);
    refuses(network('{ reorder: "no" }'), 'bad.yaml:5:21: network.reorder must be true or false, got "no"');
  });

  it('refuses unknown keys', () => {
    refuses(network('{ jitter: 5ms }'), "bad.yaml:5:12: unknown key 'jitter' in network; expected one of latency, drop, duplicate, reorder");
  });
});

describe('steps: shape and time', () => {
  it('needs `at`, within the duration, in order', () => {
    refuses(withSteps('{ device: phone, sync: true }'), "bad.yaml:6:5: step is missing 'at'");
    refuses(withSteps('{ at: 2m, device: phone, sync: true }'), 'bad.yaml:6:11: at "2m" is after the scenario\'s duration (60000 ms)');
    refuses(withSteps('{ at: -1s, device: phone, sync: true }'), 'bad.yaml:6:11: at must not be negative, got -1s');
    refuses(
      withSteps('{ at: 5s, device: phone, sync: true }', '{ at: 4s, device: phone, sync: true }', '{ at: 6s, device: phone, sync: true }'),
      'bad.yaml:7:11: steps must be sorted by \'at\': "4s" comes after "5s" (at 6:11)',
    );
    expect(parseScenario(withSteps('{ at: 1m, device: phone, sync: true }'), 'ok.yaml').steps).toHaveLength(1);
  });

  it('needs exactly one action', () => {
    refuses(withSteps('{ at: 1s, device: phone }'), /^bad\.yaml:6:5: step has no action; expected one of create, createMany, update, delete, offline, online, sync, read, app, connection, backgroundRefresh, storage, drop, partition, heal, crash, restart, server, network, clock$/);
    refuses(withSteps('{ at: 1s, heal: true, crash: phone }'), 'bad.yaml:6:27: step has more than one action (heal, crash); give one per step');
  });

  it('needs `device` for device actions and refuses it elsewhere', () => {
    refuses(withSteps('{ at: 1s, sync: true }'), "bad.yaml:6:15: 'sync' needs 'device' in the step");
    refuses(withSteps('{ at: 1s, device: phone, crash: phone }'), "bad.yaml:6:15: 'device' does not go with 'crash'");
    refuses(withSteps('{ at: 1s, device: ipad, clock: { device: ipad, skew: 1s } }'), "bad.yaml:6:15: 'device' does not go with 'clock'; put it inside clock");
  });

  it('refuses unknown keys in steps and in their actions', () => {
    let t = withSteps('{ at: 1s, device: phone, sync: true, when: now }');
    refusesAt(t, 'when', /unknown key 'when' in step; expected one of at, device, create, createMany, update, /);
    t = withSteps('{ at: 1s, device: phone, create: { task: t1, title: a, due: 1s } }');
    refusesAt(t, 'due', "unknown key 'due' in create; expected one of task, title, completed");
    t = withSteps('{ at: 1s, server: { restart: true, reboot: true } }');
    refusesAt(t, 'reboot', "unknown key 'reboot' in server; expected one of unavailable, rateLimit, quota, restart");
  });

  it('refuses a step that is not a mapping and steps that are not a list', () => {
    refuses(withSteps('sync'), 'bad.yaml:6:5: step must be a mapping, got "sync"');
    refuses(`${HEADER}steps: { at: 1s }\n`, 'bad.yaml:5:8: steps must be a list, got a mapping');
  });
});

describe('steps: devices and nodes', () => {
  it('refuses unknown devices wherever a step names one', () => {
    const cases: Array<[string, string]> = [
      ['{ at: 1s, device: tablet, sync: true }', "unknown device 'tablet' in the step; the devices are phone, ipad"],
      ['{ at: 1s, crash: tablet }', "unknown device 'tablet' in crash; the devices are phone, ipad"],
      ['{ at: 1s, restart: tablet }', "unknown device 'tablet' in restart; the devices are phone, ipad"],
      ['{ at: 1s, clock: { device: tablet, skew: 1s } }', "unknown device 'tablet' in clock.device; the devices are phone, ipad"],
      ['{ at: 1s, drop: { from: tablet, match: "*", count: 1 } }', "unknown node 'tablet' in drop.from; expected server or a device (phone, ipad)"],
      ['{ at: 1s, drop: { to: tablet, match: "*", count: 1 } }', "unknown node 'tablet' in drop.to; expected server or a device (phone, ipad)"],
      ['{ at: 1s, partition: [[phone], [tablet]] }', "unknown node 'tablet' in partition node; expected server or a device (phone, ipad)"],
    ];
    for (const [step, message] of cases) refusesAt(withSteps(step), 'tablet', message);
  });

  it('checks partition groups', () => {
    // `  - { at: 1s, partition: [[phone], []] }`: the empty group is at column 36.
    refuses(withSteps('{ at: 1s, partition: [[phone], []] }'), 'bad.yaml:6:36: a partition group must not be empty');
    const twice = withSteps('{ at: 1s, partition: [[phone, server], [server]] }');
    refuses(twice, `bad.yaml:${where(twice, 'server]]')}: server is in the partition twice (first at ${where(twice, 'server],')})`);
    refusesAt(withSteps('{ at: 1s, partition: [] }'), '[]', /partition needs at least one group/);
    const flat = withSteps('{ at: 1s, partition: [phone, ipad] }');
    expect(lines(flat)).toEqual([
      `bad.yaml:${where(flat, 'phone,')}: a partition group must be a list, got "phone"`,
      `bad.yaml:${where(flat, 'ipad]')}: a partition group must be a list, got "ipad"`,
    ]);
  });

  it('checks drop rules', () => {
    const drop = (rule: string) => withSteps(`{ at: 1s, drop: ${rule} }`);
    let t = drop('{ from: phone, to: phone, match: "*", count: 1 }');
    refusesAt(t, ['phone', 3], 'drop.from and drop.to are both phone; a node sends nothing to itself');
    t = drop('{ from: phone, to: ipad, match: "*", count: 1 }');
    refusesAt(t, ['ipad', 2], 'a drop from phone to ipad never matches: devices talk only to the server');
    t = drop('{ match: "FETCH /v1", count: 1 }');
    refusesAt(t, '"FETCH', /drop\.match "FETCH \/v1" must be "\*" or "METHOD \/path-prefix" \(unknown HTTP method FETCH; expected one of GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS\)$/);
    t = drop('{ match: "POST v1/tasks", count: 1 }');
    refusesAt(t, '"POST', 'drop.match "POST v1/tasks" must be "*" or "METHOD /path-prefix"');
    refuses(drop('{ match: "/v1/tasks", count: 1 }'), /drop\.match "\/v1\/tasks" must be "\*" or "METHOD \/path-prefix"$/);
    t = drop('{ match: "*", count: 0 }');
    refusesAt(t, '0 }', 'drop.count must be an integer > 0, got 0');
    refuses(drop('{ match: "*", count: 1.5 }'), /drop\.count must be an integer > 0, got 1.5$/);
    t = drop('{ match: "*" }');
    refusesAt(t, '{ match', "drop is missing 'count'");
    t = drop('{ count: 1 }');
    refusesAt(t, '{ count', "drop is missing 'match'");
  });
});

describe('steps: tasks', () => {
  it('needs a task to be created before an update or delete names it', () => {
    let t = withSteps('{ at: 1s, device: phone, update: { task: t9, title: x } }');
    refusesAt(t, 't9', "task 't9' is never created before this step");
    t = withSteps('{ at: 1s, device: phone, delete: { task: t9 } }');
    refusesAt(t, 't9', "task 't9' is never created before this step");
    // Same time, but the create comes later in the file.
    t = withSteps('{ at: 1s, device: phone, delete: { task: t1 } }', '{ at: 1s, device: phone, create: { task: t1, title: a } }');
    refusesAt(t, 't1', "task 't1' is never created before this step");
  });

  it('creates each task once', () => {
    const t = withSteps(CREATE_T1, '{ at: 1s, device: ipad, create: { task: t1, title: b } }');
    refuses(t, `bad.yaml:${where(t, 't1', 2)}: task 't1' is already created at ${where(t, 't1')}; create each task once`);
  });

  it('checks task names, titles and flags', () => {
    let t = withSteps('{ at: 1s, device: phone, create: { task: "t 1", title: a } }');
    refusesAt(t, '"t 1"', 'create.task "t 1" must match [A-Za-z0-9_-]+');
    t = withSteps('{ at: 1s, device: phone, create: { task: t1 } }');
    refusesAt(t, '{ task', "create is missing 'title'");
    t = withSteps('{ at: 1s, device: phone, create: { task: t1, title: 42 } }');
    refusesAt(t, '42', 'title must be a string, got 42');
    t = withSteps(CREATE_T1, '{ at: 1s, device: phone, update: { task: t1, completed: "yes" } }');
    refusesAt(t, '"yes"', 'completed must be true or false, got "yes"');
    t = withSteps(CREATE_T1, '{ at: 1s, device: phone, update: { task: t1 } }');
    refusesAt(t, '{ task: t1 }', 'update changes nothing; give title and/or completed');
  });
});

describe('steps: device actions', () => {
  it('takes flags only as true', () => {
    refusesAt(withSteps('{ at: 1s, device: phone, offline: false }'), 'false', 'offline must be true, got false');
    refusesAt(withSteps('{ at: 1s, device: phone, sync: 1 }'), '1 }', 'sync must be true, got 1');
    refusesAt(withSteps('{ at: 1s, heal: yes }'), 'yes', 'heal must be true, got "yes"');
  });

  it('checks app, connection, backgroundRefresh and storage', () => {
    refusesAt(withSteps('{ at: 1s, device: phone, app: sleep }'), 'sleep', 'app must be one of background, foreground, terminate, got "sleep"');
    refusesAt(withSteps('{ at: 1s, device: phone, connection: 5g }'), '5g', 'connection must be one of wifi, cellular, none, got "5g"');
    refusesAt(withSteps('{ at: 1s, device: phone, backgroundRefresh: 0s }'), '0s', 'backgroundRefresh must be a positive duration, got "0s"');
    refusesAt(withSteps('{ at: 1s, device: phone, backgroundRefresh: -5s }'), '-5s', 'backgroundRefresh must not be negative, got -5s');
    refusesAt(withSteps('{ at: 1s, device: phone, storage: { failWrites: 0 } }'), '0 }', 'failWrites must be an integer > 0, got 0');
    refuses(withSteps('{ at: 1s, device: phone, storage: { failWrites: 1.5 } }'), /failWrites must be an integer > 0, got 1.5$/);
    refusesAt(withSteps('{ at: 1s, device: phone, storage: {} }'), '{}', "storage is missing 'failWrites'");
  });
});

describe('steps: the server, the network and clocks', () => {
  it('takes one server change per step', () => {
    refusesAt(withSteps('{ at: 1s, server: {} }'), '{}', 'server step changes nothing; give one of unavailable, rateLimit, quota, restart');
    refusesAt(withSteps('{ at: 1s, server: { quota: 5, restart: true } }'), 'restart', 'server step has more than one change (quota, restart); give one per step');
  });

  it('checks unavailable, rateLimit, quota and restart', () => {
    const server = (change: string) => withSteps(`{ at: 1s, server: { ${change} } }`);
    refusesAt(server('unavailable: forever'), 'forever', /server\.unavailable must be a duration \(.*\), got "forever"$/);
    refusesAt(server('rateLimit: { capacity: -1, refillPerSecond: 1 }'), '-1', 'rateLimit.capacity must be a number >= 0, got -1');
    refusesAt(server('rateLimit: { capacity: 5, refillPerSecond: -1 }'), '-1', 'rateLimit.refillPerSecond must be a number >= 0, got -1');
    refusesAt(server('rateLimit: { capacity: 5 }'), '{ capacity', "rateLimit is missing 'refillPerSecond'");
    refusesAt(server('rateLimit: 5'), '5 }', 'rateLimit must be a mapping, got 5');
    refusesAt(server('quota: -1'), '-1', 'server.quota must be an integer >= 0, got -1');
    refuses(server('quota: 2.5'), /server\.quota must be an integer >= 0, got 2.5$/);
    refusesAt(server('restart: false'), 'false', 'server.restart must be true, got false');
  });

  it('checks network changes like the defaults', () => {
    refusesAt(withSteps('{ at: 1s, network: { drop: 2 } }'), '2 }', 'network.drop must be a probability in [0, 1], got 2');
    refusesAt(withSteps('{ at: 1s, network: {} }'), '{}', 'network step changes nothing; give latency, drop, duplicate or reorder');
  });

  it('checks clock changes', () => {
    refusesAt(withSteps('{ at: 1s, clock: { device: phone } }'), '{ device', "clock is missing 'skew'");
    refusesAt(withSteps('{ at: 1s, clock: { device: phone, skew: 1.0001s } }'), '1.0001s', 'skew must be a whole number of ms, got "1.0001s"');
    refusesAt(withSteps('{ at: 1s, clock: { device: phone, skew: 1s, drift: lots } }'), 'lots', 'drift (ppm) must be a number, got "lots"');
  });
});

describe('expect', () => {
  const expecting = (value: string) => `${withSteps(CREATE_T1)}expect: ${value}\n`;

  it('names tasks that some step creates', () => {
    refusesAt(expecting('{ tasks: { t2: { deleted: true } } }'), 't2', "expect.tasks names task 't2', which no step creates");
    refusesAt(expecting('{ tasks: { t1: { done: true } } }'), 'done', "unknown key 'done' in expect.tasks.t1; expected one of title, completed, deleted");
    refusesAt(expecting('{ tasks: { t1: { deleted: true, title: a } } }'), 'true, title', 'expect.tasks.t1: a deleted task has no title or completed to expect');
    refusesAt(expecting('{ tasks: [t1] }'), '[t1]', 'expect.tasks must be a mapping from task name to its final state, got a list');
  });

  it('names known checkers, once each', () => {
    refusesAt(expecting('{ violations: [lww, linearizable] }'), 'linearizable', 'expect.violations entry must be one of no-duplicates, convergence, lww, causal, no-resurrection, durability, sync-latency, read-your-writes, monotonic-reads, nothing-judged, got "linearizable"');
    refusesAt(expecting('{ violations: [lww, lww] }'), ['lww', 2], 'checker "lww" is listed twice in expect.violations');
    const ok = parseScenario(expecting('{ violations: [no-duplicates, convergence, lww, causal, no-resurrection, durability, sync-latency] }'), 'ok.yaml');
    expect(ok.expect.violations).toHaveLength(7);
  });

  it('checks syncLatency and unknown keys', () => {
    refusesAt(expecting('{ syncLatency: { max: 0 } }'), '0 }', 'syncLatency.max must be a positive duration, got 0');
    refusesAt(expecting('{ syncLatency: 5s }'), '5s }', 'expect.syncLatency must be a mapping, got "5s"');
    refusesAt(expecting('{ state: ok }'), 'state', "unknown key 'state' in expect; expected one of tasks, syncLatency, violations");
  });
});

describe('YAML syntax', () => {
  it('locates syntax errors and refuses to go on', () => {
    // The parser notices an unterminated string where the file ends.
    refuses('name: s\ndescription: "unterminated\n', 'bad.yaml:3:1: YAML syntax: Missing closing "quote');
    refuses('name: s\nsteps: [ { at: 1s }\nduration: 1m\n', 'bad.yaml:3:1: YAML syntax: Flow sequence in block collection must be sufficiently indented and end with a ]');
    refuses('name: s\nname: t\n', 'bad.yaml:2:1: YAML syntax: Map keys must be unique');
    expect(lines('name: s: t\n')[0]).toBe('bad.yaml:1:7: YAML syntax: Nested mappings are not allowed in compact mappings');
    expect(lines('name: s\n\tdescription: d\n')[0]).toMatch(/^bad\.yaml:2:1: YAML syntax: /);
    refuses('name: s\n---\nname: t\n', /^bad\.yaml:2:1: YAML syntax: Source contains multiple documents/);
  });

  it('reports an alias to no anchor where it is used', () => {
    refuses(`${HEADER}steps:\n  - *nowhere\n`, 'bad.yaml:6:5: unknown alias *nowhere');
  });
});

describe('many errors at once', () => {
  it('reports every independent problem, in file order, and returns nothing', () => {
    const text = [
      'name: Bad Name',
      'description: d',
      'duration: 1m',
      'devices: [{ id: phone }, { id: phone }]',
      'network: { drop: 3 }',
      'steps:',
      '  - { at: 1s, device: tablet, sync: true }',
      '  - { at: 2s, device: phone, update: { task: t9, title: x } }',
      '  - { at: 3s, drop: { match: "YANK /", count: -1 } }',
      '  - { at: 2m, heal: true }',
      'expect: { violations: [nope] }',
      'finalHeal: 1',
    ].join('\n');
    let error: unknown;
    try {
      parseScenario(text, 'many.yaml');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ScenarioError);
    const message = (error as ScenarioError).message;
    expect(message.split('\n')).toEqual([
      'many.yaml:1:7: name "Bad Name" must match [a-z0-9-]+',
      "many.yaml:4:32: duplicate device id 'phone' (first at 4:17)",
      'many.yaml:5:18: network.drop must be a probability in [0, 1], got 3',
      "many.yaml:7:23: unknown device 'tablet' in the step; the devices are phone",
      "many.yaml:8:46: task 't9' is never created before this step",
      `many.yaml:${where(text, '"YANK')}: drop.match "YANK /" must be "*" or "METHOD /path-prefix" (unknown HTTP method YANK; expected one of GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS)`,
      `many.yaml:${where(text, '-1')}: drop.count must be an integer > 0, got -1`,
      'many.yaml:10:11: at "2m" is after the scenario\'s duration (60000 ms)',
      `many.yaml:${where(text, 'nope')}: expect.violations entry must be one of no-duplicates, convergence, lww, causal, no-resurrection, durability, sync-latency, read-your-writes, monotonic-reads, nothing-judged, got "nope"`,
      'many.yaml:12:12: finalHeal must be true or false, got 1',
    ]);
    expect((error as ScenarioError).issues[0]).toEqual({ file: 'many.yaml', line: 1, column: 7, message: 'name "Bad Name" must match [a-z0-9-]+' });
  });
});
