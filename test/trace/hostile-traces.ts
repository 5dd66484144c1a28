import { runScenario } from '../../src/api/run-scenario.ts';

/** A hostile or broken trace file, and where and how the reader must refuse it (SPEC §5). */
export interface HostileTrace {
  name: string;
  bytes: Uint8Array;
  line: number;
  message: RegExp;
}

/** A recorded run's lines: every kind of event the harness writes (invoke, read, snapshot, run.end, ...). */
export async function recordedLines(): Promise<string[]> {
  const run = await runScenario('scenarios/multi-device-conflict.yaml', { seed: 1 });
  return run.events.map((event) => JSON.stringify(event));
}

const utf8 = (text: string) => new TextEncoder().encode(text);
const join = (lines: readonly string[]) => utf8(lines.join('\n') + '\n');
const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
};

/** The recorded lines without run.end (whose hash an edit breaks), the first line of `type` edited. */
function edited(lines: readonly string[], type: string, edit: (event: Record<string, unknown>) => void): { bytes: Uint8Array; line: number } {
  const out = lines.slice(0, -1);
  const index = out.findIndex((line) => (JSON.parse(line) as { type: string }).type === type);
  if (index === -1) throw new Error(`the recorded trace has no ${type}`);
  const event = JSON.parse(out[index]!) as Record<string, unknown>;
  edit(event);
  out[index] = JSON.stringify(event);
  return { bytes: join(out), line: index + 1 };
}

export function hostileTraces(lines: readonly string[]): HostileTrace[] {
  const first = (type: string, edit: (event: Record<string, unknown>) => void, message: RegExp, name: string): HostileTrace => ({ name, message, ...edited(lines, type, edit) });
  const asArray = (v: unknown) => v as unknown[];
  const asRecord = (v: unknown) => v as Record<string, unknown>;
  // A lone continuation byte inside the third line's type string.
  const invalidUtf8 = (() => {
    const third = utf8(lines[2]!);
    const at = lines[2]!.indexOf('"type":"') + 8;
    return concat(join(lines.slice(0, 2)), third.subarray(0, at), new Uint8Array([0x80]), third.subarray(at), utf8('\n'));
  })();
  return [
    first('run.start', (e) => (e.devices = [null]), /^run\.start: field "devices\[0\]" must be an object, got null$/, 'devices: [null]'),
    first('run.start', (e) => (asRecord(asArray(e.devices)[0]).skew = '0s'), /field "devices\[0\]\.skew" must be number/, 'a device skew that is a string'),
    first('snapshot', (e) => (e.tasks = [null]), /^snapshot: field "tasks\[0\]" must be an object, got null$/, 'a snapshot with tasks: [null]'),
    first('snapshot', (e) => (e.tasks = [{ task: 'x', id: 'y', title: 'z', completed: 'yes', deleted: false, write: null }]), /field "tasks\[0\]\.completed" must be boolean/, 'a snapshot row with a wrong type'),
    first('read', (e) => (e.rows = [7]), /^read: field "rows\[0\]" must be an object, got 7$/, 'a read row that is not an object'),
    first('read', (e) => (e.rows = [{ task: 'x', id: 'y', title: ['z'], completed: true }]), /field "rows\[0\]\.title" must be string/, 'a read row with a title that is a list'),
    first('invoke', (e) => (e.value = { title: 'x', completed: false }), /^invoke: field "value\.deleted" must be boolean, got nothing$/, 'an invoke value without deleted'),
    first('op', (e) => (asRecord(e.value).title = null), /^op: field "value\.title" must be string, got null$/, 'an op value with a null title'),
    first('msg.send', (e) => (e.from = { name: 'phone' }), /^msg\.send: field "from" must be string/, 'a message from an object'),
    { name: 'an empty file', bytes: utf8(''), line: 1, message: /the trace is empty/ },
    { name: 'a file of blank lines', bytes: utf8('\n  \n\n'), line: 1, message: /the trace is empty/ },
    { name: 'a first event that is not run.start', bytes: join(lines.slice(1).map((line) => line.replace(/"seq":(\d+)/, (_, n: string) => `"seq":${Number(n) - 1}`))), line: 1, message: /no run\.start: its first event must be run\.start/ },
    { name: 'invalid UTF-8', bytes: invalidUtf8, line: 3, message: /^not valid UTF-8$/ },
    {
      name: 'an event after run.end',
      bytes: join([...lines, JSON.stringify({ ...JSON.parse(lines[1]!), seq: lines.length, t: (JSON.parse(lines.at(-1)!) as { t: number }).t })]),
      line: lines.length + 1,
      message: new RegExp(`^an event after run\\.end \\(line ${lines.length}\\)`),
    },
  ];
}
