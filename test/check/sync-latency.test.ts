import { describe, expect, it } from 'vitest';
import { checkSyncLatency } from '../../src/check/index.ts';
import { healthyRun, seqOf, TraceBuilder } from './trace-builder.ts';

describe('sync-latency', () => {
  it('passes a run where every write propagates quickly, and reports percentiles', () => {
    const result = checkSyncLatency(healthyRun().events);
    expect(result).toMatchObject({ ok: true, stats: { count: 4, p50: 200, p95: 200, p99: 200, max: 200, objectiveMs: 5000, superseded: 0 } });
  });

  it('fails a write that takes longer than the objective to reach every device', () => {
    const b = new TraceBuilder();
    const w = b.create('phone', 't1', 'A');
    const server = b.at(4000).serverApply(w);
    const ipad = b.at(7100).deviceApply('ipad', w);
    b.settle([w]);
    const result = checkSyncLatency(b.events);
    expect(result.ok).toBe(false);
    expect(result.violations).toEqual([{
      task: 't1', writes: [w], seqs: [seqOf(b, w), server, ipad],
      message: 'write phone#1 of task t1 took 7100 ms of fault-free time to reach device ipad (objective 5000 ms)',
    }]);
    expect(result.stats).toMatchObject({ count: 1, max: 7100 });
    expect(checkSyncLatency(b.events, { objectiveMs: 8000 }).ok).toBe(true);
  });

  it('fails a write that is too slow to reach the server', () => {
    const b = new TraceBuilder(['phone']);
    const w = b.create('phone', 't1', 'A');
    const server = b.at(6000).serverApply(w);
    b.settle([w]);
    expect(checkSyncLatency(b.events).violations).toEqual([{
      task: 't1', writes: [w], seqs: [seqOf(b, w), server],
      message: 'write phone#1 of task t1 took 6000 ms of fault-free time to reach the server (objective 5000 ms)',
    }]);
  });

  it('does not count time during a partition', () => {
    const b = new TraceBuilder();
    b.fault('partition', { groups: [['phone'], ['ipad', 'server']] });
    const w = b.at(1000).create('phone', 't1', 'A');
    b.at(60_000).fault('heal', {});
    b.at(60_200).serverApply(w);
    b.at(60_300).deviceApply('ipad', w);
    b.settle([w]);
    expect(checkSyncLatency(b.events)).toMatchObject({ ok: true, stats: { count: 1, max: 300 } });
  });

  it('counts a partition that leaves the device with the server', () => {
    const b = new TraceBuilder(['phone', 'ipad', 'watch']);
    b.fault('partition', { groups: [['phone', 'ipad', 'server'], ['watch']] });
    const w = b.at(1000).create('phone', 't1', 'A');
    b.at(7000).serverApply(w);
    b.deviceApply('ipad', w);
    b.at(8000).fault('heal', { final: true });
    b.at(8100).deviceApply('watch', w); // cut off until the heal: only its last 100 ms count
    b.settle([w]);
    const result = checkSyncLatency(b.events);
    expect(result.stats).toMatchObject({ max: 6100, violations: 1 });
    expect(result.violations[0]?.message).toBe('write phone#1 of task t1 took 6100 ms of fault-free time to reach device watch (objective 5000 ms)');
  });

  it('does not count time while the receiving device is offline, or random drops are on', () => {
    const b = new TraceBuilder();
    b.fault('offline', { device: 'ipad' });
    const w = b.create('phone', 't1', 'A');
    b.at(100).serverApply(w);
    b.at(200).fault('network', { drop: 0.3 });
    b.at(20_000).fault('network', { drop: 0 });
    b.at(30_000).fault('online', { device: 'ipad' });
    b.at(30_200).deviceApply('ipad', w);
    b.settle([w]);
    expect(checkSyncLatency(b.events).stats).toMatchObject({ count: 1, max: 300 });
  });

  it('counts a background app only inside its refresh window, and not a server outage', () => {
    const b = new TraceBuilder(['phone']);
    const w = b.create('phone', 't1', 'A');
    b.at(100).fault('app', { device: 'phone', state: 'background' });
    b.at(10_000).fault('unavailable', { ms: 5000, until: 15_000 });
    b.at(12_000).fault('backgroundRefresh', { device: 'phone', ms: 30_000 });
    b.at(16_400).serverApply(w);
    b.settle([w]);
    // 100 ms before the background; the outage counts until 15,000, plus 1 s (a Retry-After
    // is whole seconds, rounded up), plus one reply's latency (the default 150 ms: its
    // Retry-After runs from its arrival); then 250 ms.
    expect(checkSyncLatency(b.events).stats).toMatchObject({ count: 1, max: 350 });
  });

  it('does not count time while the writing device is crashed, or a drop rule is armed', () => {
    const b = new TraceBuilder();
    const w = b.create('phone', 't1', 'A');
    b.at(100).fault('crash', { device: 'phone' });
    b.at(20_000).fault('restart', { device: 'phone' });
    b.fault('drop-rule', { from: 'server', to: 'phone', match: 'POST /v1/tasks', count: 1 });
    b.at(20_100).serverApply(w);
    b.at(20_150).push('msg.drop', { msg: 9, from: 'server', to: 'phone', method: 'POST', path: '/v1/tasks', reason: 'rule' });
    b.at(40_000).fault('final-heal');
    b.at(40_200).deviceApply('ipad', w);
    b.settle([w]);
    // 0..100 on phone, then nothing until the rule is spent at 20 150; ipad counts from there.
    expect(checkSyncLatency(b.events).stats).toMatchObject({ count: 1, max: 100 + (40_200 - 20_150) });
  });

  it('does not count time while local write failures are armed on the receiving device, and fails once they are used up', () => {
    const run = (failuresEnd: number, arrives: number) => {
      const b = new TraceBuilder();
      const w = b.create('phone', 't1', 'A');
      b.at(50).fault('storage', { device: 'ipad', failWrites: 2 });
      b.at(100).serverApply(w);
      b.at(1_000).fault('storage-failure', { device: 'ipad', left: 1 });
      b.at(failuresEnd).fault('storage-failure', { device: 'ipad', left: 0 });
      b.at(arrives).deviceApply('ipad', w);
      b.settle([w]);
      return checkSyncLatency(b.events);
    };
    // The phone's leg is 100 ms; the ipad's leg counts only from the last failure.
    expect(run(9_000, 9_400).stats).toMatchObject({ count: 1, max: 100 + 400 });
    expect(run(9_000, 9_400).ok).toBe(true);
    // Slow after the disk came back: a violation.
    const late = run(2_000, 9_000);
    expect(late.ok).toBe(false);
    expect(late.stats).toMatchObject({ max: 100 + 7_000 });
  });

  it('does not count a write superseded before it propagated', () => {
    const b = new TraceBuilder();
    const w1 = b.create('phone', 't1', 'A');
    const w2 = b.at(20_000).update('phone', 't1', { title: 'B' }); // the queue coalesced w1 into w2
    b.at(20_100).serverApply(w2);
    b.at(20_200).deviceApply('ipad', w2);
    b.settle([w2]);
    expect(checkSyncLatency(b.events)).toMatchObject({ ok: true, stats: { count: 1, max: 200, superseded: 1 } });
    expect(w1).toBe('phone#1');
  });

  it('fails a final write that never reaches a device sharing its task', () => {
    const b = new TraceBuilder();
    const c = b.create('ipad', 't1', 'A');
    b.propagate(c);
    const w = b.at(1000).update('phone', 't1', { title: 'B' });
    const server = b.at(1100).serverApply(w);
    b.at(20_000).fault('heal', { final: true });
    b.snapshot('phone', [w]);
    b.snapshot('ipad', [c]);
    b.snapshot('server', [w]);
    const result = checkSyncLatency(b.events);
    expect(result.violations).toEqual([{
      task: 't1', writes: [w], seqs: [seqOf(b, w), server],
      message: 'write phone#1 of task t1 never reached device ipad after 19000 ms of fault-free time (objective 5000 ms)',
    }]);
    expect(result.stats).toMatchObject({ unreached: 1, count: 1 });
  });

  it('lets a pulled tombstone without a write id show a delete', () => {
    const b = new TraceBuilder();
    const c = b.create('phone', 't1', 'A');
    b.propagate(c);
    const d = b.at(1000).delete('phone', 't1');
    b.at(1100).serverApply(d);
    b.at(1300).deviceApply('ipad', null, 'pull', 't1');
    b.settle([d]);
    expect(checkSyncLatency(b.events)).toMatchObject({ ok: true, stats: { count: 2, max: 300 } });
  });

  it('does not measure a create the server refused', () => {
    const b = new TraceBuilder(['phone']);
    const c = b.create('phone', 't1', 'A');
    b.at(100).serverApply(c, 'rejected');
    b.at(60_000).snapshot('server', []);
    expect(checkSyncLatency(b.events)).toMatchObject({ ok: true, stats: { refused: 1, count: 0 } });
  });

  it('does not measure a write whose path lost a message (the client learns only by its timeout)', () => {
    const b = new TraceBuilder(['phone']);
    const w = b.create('phone', 't1', 'A');
    b.at(200).push('msg.drop', { msg: 1, from: 'phone', to: 'server', method: 'POST', path: '/v1/sync/batch', reason: 'random' });
    b.at(11_000).serverApply(w);
    b.settle([w]);
    expect(checkSyncLatency(b.events)).toMatchObject({ ok: true, stats: { disrupted: 1, count: 0 } });
    // The same delay with no message lost is a violation.
    const c = new TraceBuilder(['phone']);
    const v = c.create('phone', 't1', 'A');
    c.at(11_000).serverApply(v);
    c.settle([v]);
    expect(checkSyncLatency(c.events).ok).toBe(false);
  });

  it('does not count time during a latency spike, nor while its slowest messages land', () => {
    const b = new TraceBuilder(['phone']);
    b.fault('network', { latency: { min: 900, max: 1700 } });
    const w = b.create('phone', 't1', 'A');
    b.at(8_000).fault('network', { latency: { min: 20, max: 150 } });
    b.at(11_000).serverApply(w);
    b.settle([w]);
    // Healthy from 8,000 + 1,700 (the spike's slowest message) to the arrival at 11,000.
    expect(checkSyncLatency(b.events)).toMatchObject({ ok: true, stats: { count: 1, max: 1300 } });
  });

  it('does not count the Retry-After a rate limit may still have running after it is lifted', () => {
    const b = new TraceBuilder(['phone']);
    b.fault('rateLimit', { limit: { capacity: 3, refillPerSecond: 0.5 } });
    const w = b.create('phone', 't1', 'A');
    b.at(5_000).fault('rateLimit', { limit: null });
    b.at(8_000).serverApply(w);
    b.settle([w]);
    // Healthy from 5,000 + 2,000 (one token at 0.5/s) to the arrival at 8,000.
    expect(checkSyncLatency(b.events)).toMatchObject({ ok: true, stats: { count: 1, max: 1000 } });
  });

  it('counts a loss from before the write as disrupting it until the device sends again', () => {
    const b = new TraceBuilder(['phone', 'ipad']);
    b.at(0).push('msg.drop', { msg: 1, from: 'server', to: 'ipad', method: 'GET', path: '/v1/tasks', reason: 'random' });
    const w = b.at(1000).create('phone', 't1', 'A');
    b.at(1200).serverApply(w);
    b.at(9000).push('msg.send', { msg: 2, from: 'ipad', to: 'server', method: 'GET', path: '/v1/tasks' });
    b.at(9100).deviceApply('ipad', w);
    b.settle([w]);
    expect(checkSyncLatency(b.events)).toMatchObject({ ok: true, stats: { disrupted: 1 } });
  });

  it('ends a loss episode at the retry of the lost exchange, not at another request sent beside it', () => {
    // The phone's push is lost; its status poll goes out beside it (clients run requests side
    // by side); the write waits behind the lost push until the push's timeout and retry.
    const lostPush = (pollAt: number, retryAt: number) => {
      const b = new TraceBuilder(['phone']);
      b.at(0).push('msg.drop', { msg: 1, from: 'phone', to: 'server', method: 'POST', path: '/v1/sync/batch', reason: 'random' });
      b.at(pollAt).push('msg.send', { msg: 2, from: 'phone', to: 'server', method: 'HEAD', path: '/v1/tasks?since=4' });
      const w = b.at(1_000).create('phone', 't1', 'A');
      b.at(retryAt).push('msg.send', { msg: 3, from: 'phone', to: 'server', method: 'POST', path: '/v1/sync/batch' });
      b.at(retryAt + 200).serverApply(w);
      b.settle([w]);
      return checkSyncLatency(b.events);
    };
    expect(lostPush(500, 7_000)).toMatchObject({ ok: true, stats: { disrupted: 1, count: 0 } });
    // A write made after the retry went out is measured again, and a slow one fails.
    const b = new TraceBuilder(['phone']);
    b.at(0).push('msg.drop', { msg: 1, from: 'phone', to: 'server', method: 'POST', path: '/v1/sync/batch', reason: 'random' });
    b.at(4_000).push('msg.send', { msg: 2, from: 'phone', to: 'server', method: 'POST', path: '/v1/sync/batch' });
    const late = b.at(5_000).create('phone', 't1', 'A');
    b.at(12_000).serverApply(late);
    b.settle([late]);
    expect(checkSyncLatency(b.events)).toMatchObject({ ok: false, stats: { disrupted: 0 } });
  });

  it('treats a raise above the run\'s starting latency as a spike, but not the starting link itself', () => {
    const spiky = new TraceBuilder(['phone']);
    spiky.fault('network', { latency: { min: 20, max: 250 }, initial: true });
    spiky.at(10).fault('network', { latency: { min: 400, max: 900 } });
    const w = spiky.at(20).create('phone', 't1', 'A');
    spiky.at(6_000).fault('network', { latency: { min: 20, max: 250 } });
    spiky.at(7_000).serverApply(w);
    spiky.settle([w]);
    // Healthy from 6,000 + 900 (the spike's slowest message) to 7,000.
    expect(checkSyncLatency(spiky.events)).toMatchObject({ ok: true, stats: { max: 100 } });
    const slowFromTheStart = new TraceBuilder(['phone']);
    slowFromTheStart.fault('network', { latency: { min: 400, max: 900 }, initial: true });
    const v = slowFromTheStart.at(20).create('phone', 't1', 'A');
    slowFromTheStart.at(7_000).serverApply(v);
    slowFromTheStart.settle([v]);
    expect(checkSyncLatency(slowFromTheStart.events).ok).toBe(false);
  });
});
