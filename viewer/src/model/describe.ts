/** One line for an event, for the event list, the playhead's line and the diagram's tooltips. */
import type { AnyTraceEvent, EventHeader } from '../../../src/trace/events.ts';
import { describeAction, describeValue } from './history.ts';
import { goneIds, isCompactRead, recordedRows, type ReadEvent } from './reads.ts';
import { str, type TraceIndex } from './trace-index.ts';

type Loose = EventHeader & Record<string, unknown>;

function messageLabel(e: Loose): string {
  const status = typeof e.status === 'number' ? ` → ${e.status}` : '';
  return `${str(e.method)} ${str(e.path)}${status}`;
}

function describeRead(e: ReadEvent): string {
  const rows = recordedRows(e).length;
  const seen = isCompactRead(e) ? `${rows} changed, ${goneIds(e).length} gone since #${str(e.since)}` : `${rows} row${rows === 1 ? '' : 's'}`;
  return `${str(e.device)} read (${str(e.cause) || '?'}): ${seen}`;
}

function describeEngineError(e: Loose): string {
  const step = typeof e.step === 'number' ? ` at line ${e.step}` : '';
  return `${str(e.device)} ENGINE ERROR in ${str(e.call) || '?'}${step}: ${str(e.error)}`;
}

/** One line describing an event on its own. */
export function describeEvent(e: AnyTraceEvent): string {
  switch (e.type) {
    case 'op': return `${str(e.device)} ${str(e.kind)} ${str(e.task)} (${str(e.write)}) “${str((e.value as { title?: unknown } | undefined)?.title)}”`;
    case 'device.apply': return `${str(e.device)} row ${str(e.task)} ← ${str(e.write) || '?'} (${str(e.source)})`;
    case 'server.apply': return `server ${str(e.result)} ${str(e.write) || '?'} on ${str(e.task)} v${str(e.version)}`;
    case 'msg.send': return `msg ${str(e.msg)} ${str(e.from)}→${str(e.to)} ${messageLabel(e as Loose)}`;
    case 'msg.deliver': return `msg ${str(e.msg)} delivered to ${str(e.to)}`;
    case 'msg.drop': return `msg ${str(e.msg)} ${str(e.from)}→${str(e.to)} dropped (${str(e.reason)})`;
    case 'msg.dup': return `msg ${str(e.msg)} duplicate of ${str(e.of)}`;
    case 'fault': return `fault ${str(e.kind)} ${JSON.stringify(e.detail ?? {})}`;
    case 'snapshot': return `snapshot ${str(e.node)}: ${Array.isArray(e.tasks) ? e.tasks.length : 0} rows`;
    case 'check': return `check ${str(e.checker)} ${e.ok ? 'ok' : 'FAIL'}`;
    case 'run.start': return `run.start ${str(e.scenario)} seed ${str(e.seed)} (${str(e.engine)})`;
    case 'run.end': return `run.end ${e.ok ? 'ok' : 'not ok'}`;
    case 'invoke': {
      const value = (typeof e.value === 'object' && e.value !== null ? e.value : {}) as Record<string, unknown>;
      const asked = describeValue({ title: str(value.title), completed: value.completed === true, deleted: value.deleted === true });
      return `${str(e.device)} user ${str(e.kind)} ${str(e.task)} ${asked} (${str(e.write)})`;
    }
    // ok and fail may not name their device (SPEC §5 gives them only the write).
    case 'ok': return `${e.device ? `${str(e.device)} ` : ''}ok ${str(e.write)}${e.id === undefined || e.id === null ? '' : ` id ${str(e.id)}`}`;
    case 'fail': return `${e.device ? `${str(e.device)} ` : ''}FAIL ${str(e.write)}: ${str(e.error)}`;
    case 'read': return describeRead(e as ReadEvent);
    case 'engine-error': return describeEngineError(e as Loose);
    default: return e.type;
  }
}

/** An event in its trace: an ok or fail also tells the action it ends (they name only the write). */
export function describeSeq(index: TraceIndex, seq: number): string {
  const e = index.events[seq]!;
  if (e.type !== 'ok' && e.type !== 'fail') return describeEvent(e);
  const position = index.actionOfWrite.get(str(e.write));
  return position === undefined ? describeEvent(e) : `${e.type === 'ok' ? 'ok' : 'FAIL'}: ${describeAction(index.actions[position]!)}`;
}
