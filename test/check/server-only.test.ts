import { describe, expect, it } from 'vitest';
import { judgeRun } from '../../src/check/index.ts';
import { checkReport } from '../../src/report/check-table.ts';
import type { AnyTraceEvent } from '../../src/trace/index.ts';

/** A server-only trace as `serve --trace` writes it, from event payloads. */
function serveTrace(...payloads: Array<Record<string, unknown> & { type: string }>): AnyTraceEvent[] {
  const start = { type: 'run.start', version: 1, scenario: 'serve', seed: 1, engine: 'none', devices: [], source: 'serve' };
  return [start, ...payloads].map((p, seq) => ({ seq, t: seq, ...p }) as AnyTraceEvent);
}

const request = (msg: number, method = 'POST', path = '/v1/tasks') => ({ type: 'msg.send', msg, from: 'iphone', to: 'server', method, path });
const reply = (msg: number, of: number, status: number, method = 'POST', path = '/v1/tasks') => ({ type: 'msg.send', msg, from: 'server', to: 'iphone', method, path, reply: of, status });
const apply = (msg: number, task: string, id: string, result = 'applied', op = 'create') => ({ type: 'server.apply', write: null, task, result, version: 1, cursor: 1, op, id, msg });

describe('a server-only trace (run.start source: serve)', () => {
  it('runs the checkers a server account can feed and lists the others as not judged', () => {
    const verdict = judgeRun(serveTrace(request(1), apply(1, 'demo/c1', 't1'), reply(2, 1, 201)));
    expect(verdict.checks.map((c) => c.checker)).toEqual(['no-duplicates', 'no-resurrection']);
    expect(verdict.notJudged.map((n) => n.checker)).toEqual([
      'convergence', 'lww', 'causal', 'durability', 'sync-latency', 'read-your-writes', 'monotonic-reads', 'nothing-judged', 'quiescence', 'engine-error',
    ]);
    expect(verdict.recorded.map((r) => r.checker)).toEqual(['server-errors', 'duplicate-delivery']);
    expect(verdict.ok).toBe(true);
    const table = checkReport(verdict, { width: Infinity });
    expect(table).toMatch(/convergence +│? *not judged +│? *no device state/);
    expect(table).not.toMatch(/quiescence .*not recorded/);
  });

  it('a simulated trace is judged as before, with nothing listed as not judged', () => {
    const events = serveTrace().map((e) => (e.type === 'run.start' ? { ...e, source: undefined } : e));
    const verdict = judgeRun(events);
    expect(verdict.notJudged).toEqual([]);
    expect(verdict.checks).toHaveLength(10);
  });

  describe('server-errors', () => {
    it('passes a 503 that applied nothing (an injected outage)', () => {
      expect(judgeRun(serveTrace(request(1), reply(2, 1, 503))).ok).toBe(true);
    });

    it('fails a 5xx answered after the request was applied: its retry repeats the write', () => {
      const verdict = judgeRun(serveTrace(request(1, 'POST', '/v1/sync/batch'), apply(1, 'demo/c1', 't1'), reply(2, 1, 503, 'POST', '/v1/sync/batch')));
      expect(verdict.ok).toBe(false);
      expect(verdict.violations).toEqual(['server-errors']);
      expect(verdict.recorded[0]?.violations[0]?.message).toMatch(/answered 503 after the server applied 1 write/);
    });

    it('fails a 500: the server broke an invariant', () => {
      const verdict = judgeRun(serveTrace(request(1, 'GET'), reply(2, 1, 500, 'GET')));
      expect(verdict.violations).toEqual(['server-errors']);
    });
  });

  describe('duplicate-delivery', () => {
    const dup = (msg: number, of: number) => ({ type: 'msg.dup', msg, of, from: 'iphone', to: 'server', method: 'POST', path: '/v1/tasks' });

    it('passes a create applied twice that found its task the second time', () => {
      const verdict = judgeRun(serveTrace(request(1), apply(1, 'demo/c1', 't1'), dup(2, 1), apply(2, 'demo/c1', 't1', 'duplicate'), reply(3, 1, 200)));
      expect(verdict.ok).toBe(true);
      expect(verdict.recorded[1]?.stats.duplicated).toBe(1);
    });

    it('fails a create applied twice that made a second task', () => {
      const verdict = judgeRun(serveTrace(request(1), apply(1, 'demo/t1', 't1'), dup(2, 1), apply(2, 'demo/t2', 't2'), reply(3, 1, 201)));
      expect(verdict.violations).toEqual(['duplicate-delivery']);
      expect(verdict.recorded[1]?.violations[0]?.message).toMatch(/delivered 2 times made 2 server tasks \(t1, t2\) where it asks for 1/);
    });
  });

  it('no-duplicates judges the server snapshot of a clean stop', () => {
    const row = (id: string) => ({ task: 'demo/c1', id, title: 'milk', completed: false, deleted: false, write: null });
    const verdict = judgeRun(serveTrace({ type: 'snapshot', node: 'server', tasks: [row('t1'), row('t2')], queue: [] }));
    expect(verdict.violations).toEqual(['no-duplicates']);
  });
});
