/**
 * What the users did: each write a user made, from its `invoke` to the `ok` or `fail` that
 * returned it (SPEC §5), as the harness recorded it whatever the engine records. Followed in
 * trace order during the index's single pass.
 */
import type { EventHeader } from '../../../src/trace/events.ts';

export interface UserAction {
  device: string;
  /** Index into the trace's lanes, -1 for none. */
  lane: number;
  write: string;
  kind: string;
  task: string;
  /** The value the user asked for. */
  title: string;
  completed: boolean;
  deleted: boolean;
  invokeSeq: number;
  invokeT: number;
  /** Seq and time of the ok or fail; for a write still open at the end, the trace's end. */
  endSeq: number;
  endT: number;
  end: 'ok' | 'fail' | 'open';
  /** fail: the error the user got. */
  error: string | undefined;
  /** ok of a create: the id the engine returned. */
  id: string | undefined;
}

/** A harness event, read field by field (a trace from elsewhere may carry fields of any shape). */
type HistoryEvent = EventHeader & { device?: unknown; write?: unknown; kind?: unknown; task?: unknown; value?: unknown; error?: unknown; id?: unknown };

const text = (value: unknown): string => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '');

export class HistoryTracker {
  readonly actions: UserAction[] = [];
  /** Index in `actions` by write id. */
  readonly actionOfWrite = new Map<string, number>();

  invoke(e: HistoryEvent, lane: number): void {
    const value = (typeof e.value === 'object' && e.value !== null ? e.value : {}) as Record<string, unknown>;
    const write = text(e.write);
    this.actionOfWrite.set(write, this.actions.length);
    this.actions.push({
      device: text(e.device), lane, write, kind: text(e.kind), task: text(e.task),
      title: text(value.title), completed: value.completed === true, deleted: value.deleted === true,
      invokeSeq: e.seq, invokeT: e.t, endSeq: -1, endT: Number.NaN, end: 'open', error: undefined, id: undefined,
    });
  }

  /** An ok or fail ends its write's action; returns the action's lane (ok and fail may not name their device). */
  settle(e: HistoryEvent): number {
    const position = this.actionOfWrite.get(text(e.write));
    const action = position === undefined ? undefined : this.actions[position]!;
    if (!action || action.end !== 'open') return -1;
    action.end = e.type === 'fail' ? 'fail' : 'ok';
    action.endSeq = e.seq;
    action.endT = e.t;
    if (e.type === 'fail') action.error = text(e.error) || JSON.stringify(e.error ?? null);
    else if (e.id !== undefined && e.id !== null) action.id = text(e.id);
    return action.lane;
  }

  /** Actions still open last until the end of the trace; returns the longest action, in ms. */
  close(endSeq: number, endT: number): number {
    let longest = 0;
    for (const a of this.actions) {
      if (a.end === 'open') {
        a.endSeq = endSeq;
        a.endT = endT;
      }
      longest = Math.max(longest, a.endT - a.invokeT);
    }
    return longest;
  }
}

/** The value a user asked for, as the viewer writes it: “title” ✓ (or deleted). */
export function describeValue(a: Pick<UserAction, 'title' | 'completed' | 'deleted'>): string {
  return `“${a.title}”${a.completed ? ' ✓' : ''}${a.deleted ? ' (deleted)' : ''}`;
}

/** One line for an action: who did what to which task, and how it ended. */
export function describeAction(a: UserAction): string {
  const ended = a.end === 'ok' ? `ok${a.id ? ` id ${a.id}` : ''}` : a.end === 'fail' ? `FAILED: ${a.error ?? ''}` : 'no answer';
  return `${a.device} ${a.kind} ${a.task} ${describeValue(a)} (${a.write}) → ${ended}, ${Math.round(a.endT - a.invokeT)}ms`;
}
