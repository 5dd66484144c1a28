import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Fence, InvariantError, Kernel, RandomStream } from '../../src/kernel/index.ts';
import { type DropRule, type Message, Network, type NetworkConditions, type NetworkNode } from '../../src/net/index.ts';
import { type EventOf, type KnownEventType, TraceRecorder } from '../../src/trace/index.ts';

/** A node that remembers what it received. */
class Node implements NetworkNode {
  readonly received: Message[] = [];
  constructor(
    readonly id: string,
    public fence: Fence | null = null,
  ) {}
  receive(message: Message): void {
    this.received.push(message);
  }
}

function world(conditions?: Partial<NetworkConditions>, seed = 'x', ids = ['server', 'phone', 'tablet']) {
  const kernel = new Kernel();
  const trace = new TraceRecorder(() => kernel.now);
  const network = new Network(kernel, new RandomStream(seed), trace, conditions);
  const nodes = new Map<string, Node>();
  for (const id of ids) {
    const node = new Node(id);
    nodes.set(id, node);
    network.addNode(node);
  }
  const node = (id: string) => nodes.get(id)!;
  const request = (method: string, path: string) => ({ method, path, headers: {}, body: null });
  return { kernel, trace, network, node, request };
}

function eventsOf<K extends KnownEventType>(trace: TraceRecorder, type: K): Array<EventOf<K>> {
  return trace.events.filter((e) => e.type === type) as unknown as Array<EventOf<K>>;
}

const fixed = (ms: number): Partial<NetworkConditions> => ({ latency: { min: ms, max: ms }, reorder: false });

describe('Network: property over random conditions, partitions, rules and sends', () => {
  const ids = ['server', 'a', 'b', 'c'] as const;
  const nodeId = fc.constantFrom(...ids);
  const probability = fc.oneof(fc.constant(0), fc.constant(1), fc.double({ min: 0, max: 1, noNaN: true }));
  const scenario = fc.record({
    seed: fc.string({ maxLength: 8 }),
    min: fc.nat(50),
    spread: fc.nat(100),
    drop: probability,
    duplicate: probability,
    reorder: fc.boolean(),
    // Each node's partition group, or -1 for "not named" (the extra group); null: no partition.
    groups: fc.option(fc.tuple(...ids.map(() => fc.integer({ min: -1, max: 2 }))), { nil: null }),
    // When the partition starts: often before every send, else while messages are in flight.
    partitionAt: fc.oneof(fc.constant(0), fc.nat(200)),
    offline: fc.subarray([...ids]),
    rules: fc.array(
      fc.record(
        {
          from: nodeId,
          to: nodeId,
          match: fc.constantFrom('*', 'GET /a', 'POST /', 'get /b/c', 'PUT /b'),
          count: fc.integer({ min: 1, max: 3 }),
        },
        { requiredKeys: ['match', 'count'] },
      ),
      { maxLength: 3 },
    ),
    sends: fc.array(
      fc.record({
        at: fc.nat(200),
        from: nodeId,
        to: nodeId,
        method: fc.constantFrom('GET', 'POST', 'PUT'),
        path: fc.constantFrom('/', '/a', '/a/x', '/b/c', '/b/cd'),
      }),
      { maxLength: 40 },
    ),
  });

  it('every message ends once, accounting agrees, links are FIFO without reorder, partitions hold, latency is bounded', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const { kernel, trace, network, node } = world(
          { latency: { min: s.min, max: s.min + s.spread }, drop: s.drop, duplicate: s.duplicate, reorder: s.reorder },
          s.seed,
          [...ids],
        );
        const groupOf = new Map<string, number>();
        if (s.groups !== null) {
          const groups: string[][] = [[], [], []];
          s.groups.forEach((group, i) => {
            if (group >= 0) {
              groups[group]!.push(ids[i]!);
              groupOf.set(ids[i]!, group);
            }
          });
          kernel.at(s.partitionAt, () => network.partition(groups));
        }
        const offline = new Set<string>(s.offline);
        const partitioned = s.groups !== null && groupOf.size > 0;
        const separated = (a: string, b: string) => partitioned && a !== b && (groupOf.get(a) ?? -1) !== (groupOf.get(b) ?? -1);
        for (const id of s.offline) network.setSwitch(id, false);
        for (const rule of s.rules) network.addDropRule(rule as DropRule);
        const returned: Array<{ from: string; result: Message | null }> = [];
        for (const send of s.sends) {
          kernel.at(send.at, () => {
            const result = network.send(send.from, send.to, { method: send.method, path: send.path, headers: {}, body: null });
            returned.push({ from: send.from, result });
          });
        }
        await expect(kernel.runUntilQuiescent()).resolves.toBe(true);

        const sent = eventsOf(trace, 'msg.send');
        const dups = eventsOf(trace, 'msg.dup');
        const delivered = eventsOf(trace, 'msg.deliver');
        const dropped = eventsOf(trace, 'msg.drop');

        // (1) Every id ends in exactly one deliver or drop; nothing else ends.
        const started = [...sent, ...dups].map((e) => e.msg);
        const ended = [...delivered, ...dropped].map((e) => e.msg);
        expect(new Set(started).size).toBe(started.length);
        expect([...ended].sort((x, y) => x - y)).toEqual([...started].sort((x, y) => x - y));
        for (const dup of dups) expect(sent.map((e) => e.msg)).toContain(dup.of);
        expect(network.stats).toEqual({ sent: sent.length, delivered: delivered.length, dropped: dropped.length, duplicated: dups.length });
        expect(network.inFlight).toBe(0);
        expect(sent.length).toBe(s.sends.length);
        for (const id of ids) {
          const got = node(id).received.map((m) => m.id);
          expect(got).toEqual(delivered.filter((e) => e.to === id).map((e) => e.msg));
        }
        // A sender that is down learns at once; nobody else gets null.
        for (const { from, result } of returned) expect(result === null).toBe(offline.has(from));
        for (const drop of dropped) {
          if (offline.has(drop.from) && !dups.some((d) => d.msg === drop.msg)) expect(drop.reason).toBe('offline');
        }
        expect(delivered.every((e) => !offline.has(e.to) && !offline.has(e.from))).toBe(true);

        // (2) Without reorder, each link delivers in send order (ids grow in send order).
        if (!s.reorder) {
          const last = new Map<string, number>();
          for (const e of delivered) {
            const link = `${e.from}->${e.to}`;
            expect(e.msg).toBeGreaterThan(last.get(link) ?? 0);
            last.set(link, e.msg);
          }
        }

        // (3) Nothing crosses a partition once it has started, not even a message already in flight.
        for (const e of delivered) if (e.t >= s.partitionAt) expect(separated(e.from, e.to)).toBe(false);

        // (4) With reorder, every delivery is within [send + min, send + max].
        if (s.reorder) {
          const sentAt = new Map([...sent, ...dups].map((e) => [e.msg, e.t]));
          for (const e of delivered) {
            const t0 = sentAt.get(e.msg)!;
            expect(e.t).toBeGreaterThanOrEqual(t0 + s.min);
            expect(e.t).toBeLessThanOrEqual(t0 + s.min + s.spread);
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('Network: the fault model by example', () => {
  it('delivers after a latency from the configured range, and records send then deliver', async () => {
    const { kernel, trace, network, node, request } = world(fixed(40));
    kernel.at(10, () => network.send('phone', 'server', request('GET', '/v1/tasks')));
    await kernel.runUntilQuiescent();
    expect(node('server').received.map((m) => [m.from, m.method, m.path])).toEqual([['phone', 'GET', '/v1/tasks']]);
    expect(trace.events.map((e) => [e.type, e.t])).toEqual([
      ['msg.send', 10],
      ['msg.deliver', 50],
    ]);
  });

  it('drop rules: "METHOD /prefix" matches by method and path prefix; the count is consumed', async () => {
    const { kernel, trace, network, node, request } = world(fixed(10));
    network.addDropRule({ match: 'post /v1/tasks', count: 2 });
    kernel.at(0, () => {
      network.send('phone', 'server', request('GET', '/v1/tasks')); // other method
      network.send('phone', 'server', request('POST', '/v2/tasks')); // other path
      network.send('phone', 'server', request('POST', '/v1/tasks/7')); // dropped (1)
      network.send('tablet', 'server', request('POST', '/v1/tasks')); // dropped (2)
      network.send('phone', 'server', request('POST', '/v1/tasks')); // count used up
    });
    await kernel.runUntilQuiescent();
    expect(node('server').received.map((m) => `${m.method} ${m.path}`)).toEqual(['GET /v1/tasks', 'POST /v2/tasks', 'POST /v1/tasks']);
    expect(eventsOf(trace, 'msg.drop').map((e) => [e.msg, e.reason])).toEqual([
      [3, 'rule'],
      [4, 'rule'],
    ]);
  });

  it('drop rules: "*" matches anything, filtered by from and to', async () => {
    const { kernel, network, node, request } = world(fixed(10));
    network.addDropRule({ from: 'phone', to: 'server', match: '*', count: 5 });
    kernel.at(0, () => {
      network.send('phone', 'server', request('DELETE', '/anything'));
      network.send('tablet', 'server', request('GET', '/x'));
      network.send('phone', 'tablet', request('GET', '/y'));
      network.send('server', 'phone', request('GET', '/z'));
    });
    await kernel.runUntilQuiescent();
    expect(node('server').received.map((m) => m.path)).toEqual(['/x']);
    expect(node('tablet').received.map((m) => m.path)).toEqual(['/y']);
    expect(node('phone').received.map((m) => m.path)).toEqual(['/z']);
  });

  it('drop rules come before the random drop', async () => {
    const { kernel, trace, network, request } = world({ ...fixed(10), drop: 1 });
    network.addDropRule({ match: 'GET /a', count: 1 });
    kernel.at(0, () => {
      network.send('phone', 'server', request('GET', '/a'));
      network.send('phone', 'server', request('GET', '/a'));
    });
    await kernel.runUntilQuiescent();
    expect(eventsOf(trace, 'msg.drop').map((e) => e.reason)).toEqual(['rule', 'random']);
  });

  it('a drop rule matches a reply by the method and path of its request', async () => {
    const { kernel, trace, network, node, request } = world(fixed(10));
    network.addDropRule({ from: 'server', match: 'POST /v1/sync', count: 1 });
    kernel.at(0, () => {
      network.send('phone', 'server', request('POST', '/v1/sync'));
      network.send('phone', 'server', request('GET', '/v1/sync'));
    });
    kernel.at(20, () => {
      for (const req of node('server').received) {
        network.send('server', req.from, { ...request(req.method, req.path), status: 200, reply: req });
      }
    });
    await kernel.runUntilQuiescent();
    expect(node('server').received).toHaveLength(2); // the rule does not touch requests (from phone)
    expect(node('phone').received.map((m) => [m.reply, m.status, m.method])).toEqual([[2, 200, 'GET']]);
    expect(eventsOf(trace, 'msg.drop')).toMatchObject([{ reply: 1, status: 200, from: 'server', reason: 'rule' }]);
  });

  it('a sender whose switch is off gets null and a drop "offline"; the switch back on sends again', async () => {
    const { kernel, trace, network, node, request } = world(fixed(10));
    network.setSwitch('phone', false);
    expect(network.isUp('phone')).toBe(false);
    expect(network.send('phone', 'server', request('GET', '/a'))).toBeNull();
    expect(network.inFlight).toBe(0);
    network.setSwitch('phone', true);
    expect(network.send('phone', 'server', request('GET', '/b'))).not.toBeNull();
    await kernel.runUntilQuiescent();
    expect(node('server').received.map((m) => m.path)).toEqual(['/b']);
    expect(eventsOf(trace, 'msg.drop')).toMatchObject([{ msg: 1, path: '/a', reason: 'offline' }]);
    expect(network.stats).toEqual({ sent: 2, delivered: 1, dropped: 1, duplicated: 0 });
  });

  it('connection "none" counts as down, for sending and for receiving', async () => {
    const { kernel, trace, network, node, request } = world(fixed(10));
    network.setConnection('phone', 'none');
    expect(network.isUp('phone')).toBe(false);
    expect(network.connection('phone')).toBe('none');
    expect(network.canReach('tablet', 'phone')).toBe(false);
    expect(network.send('phone', 'server', request('GET', '/a'))).toBeNull();
    network.send('server', 'phone', request('GET', '/b'));
    kernel.at(5, () => network.setConnection('phone', 'cellular'));
    network.send('tablet', 'phone', request('GET', '/c'));
    network.setConnection('tablet', 'none'); // the sender going down after sending loses nothing
    await kernel.runUntilQuiescent();
    expect(node('phone').received.map((m) => m.path)).toEqual(['/b', '/c']);
    kernel.at(20, () => network.setConnection('phone', 'none'));
    kernel.at(20, () => network.send('server', 'phone', request('GET', '/d')));
    await kernel.runUntilQuiescent();
    expect(eventsOf(trace, 'msg.drop').map((e) => [e.path, e.reason])).toEqual([
      ['/a', 'offline'],
      ['/d', 'offline'],
    ]);
  });

  it('a partition that starts while a message is in flight drops it at delivery', async () => {
    const { kernel, trace, network, node, request } = world(fixed(50));
    kernel.at(0, () => network.send('phone', 'server', request('POST', '/v1/tasks')));
    kernel.at(0, () => network.send('tablet', 'server', request('POST', '/v1/tasks')));
    kernel.at(10, () => network.partition([['phone'], ['server', 'tablet']]));
    kernel.at(100, () => network.send('phone', 'server', request('GET', '/during')));
    kernel.at(200, () => network.heal());
    kernel.at(200, () => network.send('phone', 'server', request('GET', '/after')));
    await kernel.runUntilQuiescent();
    expect(node('server').received.map((m) => `${m.from} ${m.path}`)).toEqual(['tablet /v1/tasks', 'phone /after']);
    expect(eventsOf(trace, 'msg.drop').map((e) => [e.t, e.path, e.reason])).toEqual([
      [50, '/v1/tasks', 'partition'],
      [100, '/during', 'partition'],
    ]);
  });

  it('nodes a partition does not name share one group', async () => {
    const { kernel, network, node, request } = world(fixed(5), 'x', ['server', 'phone', 'tablet', 'watch']);
    network.partition([['server']]);
    expect(network.canReach('phone', 'watch')).toBe(true);
    expect(network.canReach('phone', 'server')).toBe(false);
    expect(network.partitions.groups()).toEqual([['server']]);
    network.send('phone', 'watch', request('GET', '/p'));
    network.send('tablet', 'server', request('GET', '/q'));
    await kernel.runUntilQuiescent();
    expect(node('watch').received).toHaveLength(1);
    expect(node('server').received).toHaveLength(0);
  });

  it('a message to a device whose incarnation died before delivery is dropped "crashed"', async () => {
    const { kernel, trace, network, node, request } = world(fixed(50));
    const first = new Fence('phone#1');
    node('phone').fence = first;
    kernel.at(0, () => network.send('server', 'phone', request('GET', '/for-first')));
    kernel.at(10, () => {
      first.close();
      node('phone').fence = new Fence('phone#2');
    });
    kernel.at(20, () => network.send('server', 'phone', request('GET', '/for-second')));
    await kernel.runUntilQuiescent();
    expect(node('phone').received.map((m) => m.path)).toEqual(['/for-second']);
    expect(eventsOf(trace, 'msg.drop')).toMatchObject([{ path: '/for-first', reason: 'crashed' }]);
  });

  it('a message to a server that restarted before delivery is dropped "restarted"', async () => {
    const { kernel, trace, network, node, request } = world(fixed(50));
    const first = new Fence('server#1');
    node('server').fence = first;
    kernel.at(0, () => network.send('phone', 'server', request('POST', '/v1/tasks')));
    kernel.at(10, () => {
      first.close();
      node('server').fence = new Fence('server#2');
    });
    await kernel.runUntilQuiescent();
    expect(node('server').received).toHaveLength(0);
    expect(eventsOf(trace, 'msg.drop')).toMatchObject([{ reason: 'restarted' }]);
  });

  it('a reply goes to the incarnation that sent the request, not to its successor', async () => {
    const { kernel, trace, network, node, request } = world(fixed(10));
    node('phone').fence = new Fence('phone#1');
    kernel.at(0, () => network.send('phone', 'server', request('GET', '/v1/tasks')));
    kernel.at(15, () => {
      node('phone').fence!.close();
      node('phone').fence = new Fence('phone#2');
      const req = node('server').received[0]!;
      network.send('server', 'phone', { ...request(req.method, req.path), status: 200, reply: req });
    });
    await kernel.runUntilQuiescent();
    expect(node('phone').received).toHaveLength(0);
    expect(eventsOf(trace, 'msg.drop')).toMatchObject([{ reply: 1, reason: 'crashed' }]);
  });

  it('duplicate 1 delivers every message twice, the copy with its own id and "of"', async () => {
    const { kernel, trace, network, node, request } = world({ ...fixed(10), duplicate: 1 });
    network.send('phone', 'server', request('PUT', '/v1/tasks/1'));
    await kernel.runUntilQuiescent();
    expect(node('server').received.map((m) => [m.id, m.path])).toEqual([
      [1, '/v1/tasks/1'],
      [2, '/v1/tasks/1'],
    ]);
    expect(eventsOf(trace, 'msg.dup')).toMatchObject([{ msg: 2, of: 1, from: 'phone', to: 'server' }]);
    expect(network.stats).toEqual({ sent: 1, delivered: 2, dropped: 0, duplicated: 1 });
  });

  it('without reorder, a fast message waits behind a slow one on its link, but not on another link', async () => {
    const { kernel, trace, network, request } = world({ latency: { min: 10, max: 10 }, reorder: false });
    kernel.at(0, () => network.send('phone', 'server', request('GET', '/slow')));
    kernel.at(1, () => network.setConditions({ latency: { min: 1, max: 1 } }));
    kernel.at(2, () => network.send('phone', 'server', request('GET', '/fast')));
    kernel.at(2, () => network.send('tablet', 'server', request('GET', '/other-link')));
    await kernel.runUntilQuiescent();
    expect(eventsOf(trace, 'msg.deliver').map((e) => [e.t, e.path])).toEqual([
      [3, '/other-link'],
      [10, '/slow'],
      [10, '/fast'],
    ]);
  });

  it('setConditions mid-run applies to later sends only', async () => {
    const { kernel, trace, network, request } = world(fixed(10));
    kernel.at(0, () => network.send('phone', 'server', request('GET', '/before')));
    kernel.at(5, () => {
      network.setConditions({ latency: { min: 100, max: 100 }, drop: 1 });
      expect(network.conditions).toMatchObject({ latency: { min: 100, max: 100 }, drop: 1, reorder: false });
    });
    kernel.at(6, () => network.send('phone', 'server', request('GET', '/after')));
    kernel.at(7, () => network.setConditions({ drop: 0 }));
    kernel.at(8, () => network.send('phone', 'server', request('GET', '/latest')));
    await kernel.runUntilQuiescent();
    expect(trace.events.filter((e) => e.type !== 'msg.send').map((e) => [e.type, e.t, (e as { path: string }).path])).toEqual([
      ['msg.drop', 6, '/after'],
      ['msg.deliver', 10, '/before'],
      ['msg.deliver', 108, '/latest'],
    ]);
  });

  it('refuses bad conditions, bad drop rules and unknown nodes', () => {
    const { network, request } = world();
    expect(() => network.setConditions({ latency: { min: 10, max: 5 } })).toThrow(InvariantError);
    expect(() => network.setConditions({ drop: 1.5 })).toThrow(InvariantError);
    expect(() => network.setConditions({ duplicate: -0.1 })).toThrow(InvariantError);
    expect(() => network.addDropRule({ match: 'GET tasks', count: 1 })).toThrow(/METHOD \/path-prefix/);
    expect(() => network.addDropRule({ match: '*', count: 0 })).toThrow(InvariantError);
    expect(() => network.partition([['server'], ['nobody']])).toThrow(/unknown node/);
    expect(() => network.partition([['server', 'phone'], ['phone']])).toThrow(/two partition groups/);
    expect(() => network.send('phone', 'nobody', request('GET', '/'))).toThrow(/unknown recipient/);
    expect(() => network.addNode(new Node('phone'))).toThrow(/duplicate/);
  });

  it('tells topology listeners about every change until they unsubscribe', () => {
    const { network } = world();
    let calls = 0;
    const unsubscribe = network.onTopologyChange(() => calls++);
    network.setSwitch('phone', false);
    network.setConnection('phone', 'cellular');
    network.partition([['phone'], ['server']]);
    network.heal();
    unsubscribe();
    network.setSwitch('phone', true);
    expect(calls).toBe(4);
  });
});

describe('Network: determinism', () => {
  async function busyRun(seed: string): Promise<string> {
    const { kernel, trace, network, node } = world({ latency: { min: 0, max: 500 }, drop: 0.2, duplicate: 0.2, reorder: true }, seed);
    const ids = ['server', 'phone', 'tablet'];
    for (let i = 0; i < 60; i++) {
      const from = ids[i % 3]!;
      const to = ids[(i + 1) % 3]!;
      kernel.at(i * 7, () => network.send(from, to, { method: 'POST', path: `/m/${i}`, headers: {}, body: null }));
    }
    kernel.at(100, () => network.partition([['phone'], ['server', 'tablet']]));
    kernel.at(250, () => network.heal());
    await kernel.runUntilQuiescent();
    expect(node('server').received.length).toBeGreaterThan(0);
    return trace.toJSONL();
  }

  it('the same seed gives a byte-identical trace; another seed a different one', async () => {
    const a = await busyRun('seed-1');
    const b = await busyRun('seed-1');
    const c = await busyRun('seed-2');
    expect(b).toBe(a);
    expect(c).not.toBe(a);
  });
});
