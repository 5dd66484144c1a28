import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTrace, TraceFormatError, TraceReader, TraceRecorder } from '../../src/trace/index.ts';

/** A small but complete trace, as syncsim records it. */
function recordedTrace(): TraceRecorder {
  let t = 0;
  const trace = new TraceRecorder(() => t);
  trace.record('run.start', { version: 1, scenario: 'two-phones', seed: 42, engine: 'reference', devices: [{ id: 'phone', skew: 0 }] });
  trace.record('op', {
    device: 'phone', write: 'phone#1', kind: 'create', task: 'a',
    value: { title: 'milk', completed: false, deleted: false }, basis: null, stamp: '0001',
  });
  t = 5;
  trace.record('msg.send', { msg: 1, from: 'phone', to: 'server', method: 'POST', path: '/v1/tasks' });
  t = 30;
  trace.record('msg.drop', { msg: 1, from: 'phone', to: 'server', method: 'POST', path: '/v1/tasks', reason: 'random' });
  trace.record('fault', { kind: 'partition', detail: { groups: [['phone'], ['server']] } });
  trace.record('server.apply', { write: null, task: 'a', result: 'applied', version: 1, cursor: 1 });
  trace.record('snapshot', { node: 'server', tasks: [], queue: [] });
  trace.record('check', { checker: 'lww', ok: true, detail: null });
  trace.end(true, []);
  return trace;
}

/** The lines of the recorded trace, one of them replaced by `edit`. */
function withLine(index: number, edit: (event: Record<string, unknown>) => Record<string, unknown>): string {
  const lines = recordedTrace().toJSONL().trimEnd().split('\n');
  lines[index] = JSON.stringify(edit(JSON.parse(lines[index]!) as Record<string, unknown>));
  return lines.slice(0, -1).join('\n') + '\n'; // without run.end, whose hash the edit would break
}

function problemOf(text: string): { line: number; message: string } {
  try {
    parseTrace(text);
  } catch (error) {
    expect(error).toBeInstanceOf(TraceFormatError);
    const e = error as TraceFormatError;
    expect(e.message).toBe(`line ${e.line}: ${e.problem}`);
    return { line: e.line, message: e.problem };
  }
  throw new Error('the trace was accepted');
}

describe('parseTrace: good traces', () => {
  it('parses a recorded trace back to equal events', () => {
    const trace = recordedTrace();
    expect(parseTrace(trace.toJSONL())).toEqual(trace.events);
  });

  it('accepts trailing blank lines and CRLF line ends', () => {
    const trace = recordedTrace();
    expect(parseTrace(trace.toJSONL() + '\n\n  \n')).toEqual(trace.events);
    expect(parseTrace(trace.toJSONL().replaceAll('\n', '\r\n'))).toEqual(trace.events);
  });

  it('accepts unknown types and extra fields', () => {
    const text = [
      '{"seq":0,"t":0,"type":"run.start","version":1,"scenario":"s","seed":1,"engine":"e","devices":[],"note":"x"}',
      '{"seq":1,"t":0,"type":"engine.debug","anything":[1,2,3]}',
      '{"seq":2,"t":3,"type":"msg.deliver","msg":4,"from":"server","to":"phone","latencyMs":12}',
    ].join('\n');
    expect(parseTrace(text)).toEqual([
      { seq: 0, t: 0, type: 'run.start', version: 1, scenario: 's', seed: 1, engine: 'e', devices: [], note: 'x' },
      { seq: 1, t: 0, type: 'engine.debug', anything: [1, 2, 3] },
      { seq: 2, t: 3, type: 'msg.deliver', msg: 4, from: 'server', to: 'phone', latencyMs: 12 },
    ]);
  });

  it('accepts a string seed', () => {
    const text = withLine(0, (e) => ({ ...e, seed: 'abc' }));
    expect(parseTrace(text)[0]).toMatchObject({ seed: 'abc' });
  });
});

describe('parseTrace: errors name the line', () => {
  it('a line that is not JSON', () => {
    const lines = recordedTrace().toJSONL().split('\n');
    lines[2] = '{"seq":2,';
    const { line, message } = problemOf(lines.join('\n'));
    expect(line).toBe(3);
    expect(message).toMatch(/not valid JSON/);
    expect(message).not.toMatch(/truncated/);
  });

  it('a truncated last line says the file may be truncated', () => {
    const text = recordedTrace().toJSONL();
    const cut = text.slice(0, text.length - 20);
    const { line, message } = problemOf(cut);
    expect(line).toBe(9);
    expect(message).toMatch(/not valid JSON.*truncated/);
  });

  it('a line that is not an object', () => {
    const start = recordedTrace().toJSONL().split('\n')[0];
    expect(problemOf(`${start}\n[1,2]\n`)).toEqual({ line: 2, message: 'an event must be a JSON object' });
    expect(problemOf('null')).toMatchObject({ line: 1 });
    expect(problemOf('"text"')).toMatchObject({ line: 1, message: 'an event must be a JSON object' });
  });

  it('a wrong or missing seq', () => {
    expect(problemOf(withLine(3, (e) => ({ ...e, seq: 7 })))).toEqual({ line: 4, message: 'seq must be 3, got 7' });
    expect(problemOf(withLine(0, ({ seq: _, ...e }) => e))).toMatchObject({ line: 1, message: expect.stringMatching(/seq must be 0/) });
  });

  it('t going back, negative or not an integer', () => {
    expect(problemOf(withLine(3, (e) => ({ ...e, t: 4 })))).toEqual({ line: 4, message: 't goes back in time (4 < 5)' });
    expect(problemOf(withLine(0, (e) => ({ ...e, t: -1 })))).toMatchObject({ line: 1, message: expect.stringMatching(/^t must be/) });
    expect(problemOf(withLine(2, (e) => ({ ...e, t: 5.5 })))).toMatchObject({ line: 3, message: expect.stringMatching(/^t must be/) });
  });

  it('a missing or empty type', () => {
    expect(problemOf(withLine(1, ({ type: _, ...e }) => e))).toEqual({ line: 2, message: 'type must be a non-empty string' });
    expect(problemOf(withLine(1, (e) => ({ ...e, type: '' })))).toMatchObject({ line: 2 });
  });

  it.each([
    ['run.start', 0, 'version', (e: Record<string, unknown>) => ({ ...e, version: '1' })],
    ['run.start', 0, 'seed', (e: Record<string, unknown>) => ({ ...e, seed: 4.2 })],
    ['run.start', 0, 'devices', ({ devices: _, ...e }: Record<string, unknown>) => e],
    ['op', 1, 'write', ({ write: _, ...e }: Record<string, unknown>) => e],
    ['op', 1, 'value', (e: Record<string, unknown>) => ({ ...e, value: 'milk' })],
    ['op', 1, 'basis', (e: Record<string, unknown>) => ({ ...e, basis: 3 })],
    ['msg.send', 2, 'msg', (e: Record<string, unknown>) => ({ ...e, msg: '1' })],
    ['msg.send', 2, 'status', (e: Record<string, unknown>) => ({ ...e, status: 'ok' })],
    ['msg.drop', 3, 'reason', ({ reason: _, ...e }: Record<string, unknown>) => e],
    ['fault', 4, 'detail', (e: Record<string, unknown>) => ({ ...e, detail: ['partition'] })],
    ['server.apply', 5, 'cursor', (e: Record<string, unknown>) => ({ ...e, cursor: null })],
    ['snapshot', 6, 'tasks', (e: Record<string, unknown>) => ({ ...e, tasks: {} })],
    ['check', 7, 'ok', (e: Record<string, unknown>) => ({ ...e, ok: 'yes' })],
  ] as const)('%s with a bad field "%s"', (type, index, field, edit) => {
    const { line, message } = problemOf(withLine(index, edit));
    expect(line).toBe(index + 1);
    expect(message).toMatch(new RegExp(`^${type.replace('.', '\\.')}: field "${field}" must be `));
  });

  it('a run.end whose hash does not match the lines before it', () => {
    const text = recordedTrace().toJSONL();
    const tampered = text.replace('"title":"milk"', '"title":"MILK"');
    const { line, message } = problemOf(tampered);
    expect(line).toBe(9);
    expect(message).toMatch(/run\.end hash [0-9a-f]{64} does not match/);
  });

  it('a run.end with a made-up hash', () => {
    const text = recordedTrace().toJSONL().replace(/"hash":"[0-9a-f]+"/, `"hash":"${'0'.repeat(64)}"`);
    expect(problemOf(text)).toMatchObject({ line: 9 });
  });

  it('a blank line in the middle', () => {
    const lines = recordedTrace().toJSONL().split('\n');
    lines.splice(2, 0, '');
    expect(problemOf(lines.join('\n'))).toMatchObject({ line: 3, message: expect.stringMatching(/not valid JSON/) });
  });

  // An optional integer field (msg.send `reply`, `status`) may be absent or null.
  it('the error for an optional integer does not contradict itself', () => {
    const text = withLine(2, (e) => ({ ...e, reply: null }));
    let message = '';
    try {
      parseTrace(text);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).not.toMatch(/must be integer or null, got null/);
  });
});

describe('TraceReader: parseTrace as the text streams in', () => {
  /** parseTrace's outcome, or the reader's when fed `text` in pieces cut at `cuts`. */
  const outcome = (read: () => unknown) => {
    try {
      return { events: read() };
    } catch (error) {
      return { error: (error as Error).message };
    }
  };
  const streamed = (text: string, cuts: number[]) => () => {
    const reader = new TraceReader();
    let from = 0;
    for (const cut of [...cuts].sort((a, b) => a - b)) {
      reader.push(text.slice(from, cut));
      from = cut;
    }
    reader.push(text.slice(from));
    return reader.end();
  };
  const good = recordedTrace().toJSONL();
  const texts = [
    good,
    good + '\n\n  \n',
    good.replaceAll('\n', '\r\n'),
    good.slice(0, -40), // truncated in run.end
    good.replace('\n', '\n\n'), // a blank line in the middle
    withLine(2, (e) => ({ ...e, seq: 7 })),
    good.split('\n').slice(0, 3).join('\n') + '\n{"seq":3,\n\n', // unreadable, then only blanks: maybe truncated
    good.split('\n').slice(0, 3).join('\n') + '\n{"seq":3,\n\n' + good.split('\n')[3], // unreadable in the middle
    '',
  ];

  it('gives exactly what parseTrace gives, events or located error, however the text is cut (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...texts), fc.array(fc.nat(), { maxLength: 12 }), (text, raw) => {
        const cuts = raw.map((n) => n % (text.length + 1));
        expect(outcome(streamed(text, cuts))).toEqual(outcome(() => parseTrace(text)));
      }),
    );
  });
});
