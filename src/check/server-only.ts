import type { AnyTraceEvent, EventOf } from '../trace/index.ts';
import type { RecordedCheck } from './run-verdict.ts';
import { Findings, seqList, type CheckerName, type Violation } from './verdict.ts';

/**
 * A server-only trace (`syncsim serve --trace`, run.start `source: 'serve'`) is the
 * server's own account: requests, replies, faults and decisions, but no device and no
 * user history (no invoke, ok, read, snapshot of a device). Only what a server's account
 * can show is judged; every other checker is listed as not judged, never passed.
 */

/** A verdict that the trace cannot give, and why. */
export interface NotJudged {
  checker: string;
  reason: string;
}

export interface JudgingScope {
  /** The checkers to run; undefined: all of them. */
  only: readonly CheckerName[] | undefined;
  /** True for a server-only trace: its own checks replace the recorded ones of a simulated run. */
  serverOnly: boolean;
  notJudged: NotJudged[];
}

/** What the server's account shows: duplicates (server.apply ids, the end snapshot) and resurrections (server.apply). */
export const SERVER_ONLY_CHECKERS: readonly CheckerName[] = ['no-duplicates', 'no-resurrection'];

/** A server-only trace has no device history (invoke, ok, read, device snapshots): why each verdict needs one. */
const WHY_NOT: Partial<Record<CheckerName | 'quiescence' | 'engine-error', string>> = {
  convergence: 'no device state to compare with the server\'s',
  lww: 'the users\' writes and their order are unknown',
  causal: 'what each write was made over is unknown',
  durability: 'which writes returned to their users is unknown',
  'sync-latency': 'when writes were made and reached other devices is unknown',
  'read-your-writes': 'no reads',
  'monotonic-reads': 'no reads',
  'nothing-judged': 'no user writes to account for',
  quiescence: 'a live server has no final heal',
  'engine-error': 'no engine ran under the harness',
};

export function judgingScope(start: EventOf<'run.start'> | undefined): JudgingScope {
  if (start?.source !== 'serve') return { only: undefined, serverOnly: false, notJudged: [] };
  const notJudged = Object.entries(WHY_NOT).map(([checker, reason]) => ({ checker, reason: reason ?? '' }));
  return { only: SERVER_ONLY_CHECKERS, serverOnly: true, notJudged };
}

export const SERVER_ERRORS = 'server-errors';
export const DUPLICATE_DELIVERY = 'duplicate-delivery';

/** The checks of a server-only trace beside the checkers: from replies and server.apply, linked by message id. */
export function serverOnlyChecks(events: readonly AnyTraceEvent[], maxViolations = 50): RecordedCheck[] {
  const index = indexMessages(events);
  return [serverErrors(index, maxViolations), duplicateDelivery(index, maxViolations)];
}

interface MessageIndex {
  /** server.apply events by the request message they decided (`msg`, which serve records). */
  applies: Map<number, Array<EventOf<'server.apply'> & { msg?: number; id?: string; op?: string }>>;
  replies: Array<EventOf<'msg.send'>>;
  /** Request message → its copies (msg.dup). */
  copies: Map<number, number[]>;
  requests: number;
}

function indexMessages(events: readonly AnyTraceEvent[]): MessageIndex {
  const index: MessageIndex = { applies: new Map(), replies: [], copies: new Map(), requests: 0 };
  for (const event of events) {
    if (event.type === 'server.apply') {
      const apply = event as EventOf<'server.apply'> & { msg?: unknown };
      if (typeof apply.msg !== 'number') continue;
      const list = index.applies.get(apply.msg) ?? [];
      list.push(apply as EventOf<'server.apply'> & { msg: number });
      index.applies.set(apply.msg, list);
    } else if (event.type === 'msg.send') {
      const send = event as EventOf<'msg.send'>;
      if (send.from === 'server' && typeof send.reply === 'number') index.replies.push(send);
      else if (send.to === 'server') index.requests++;
    } else if (event.type === 'msg.dup') {
      const dup = event as EventOf<'msg.dup'>;
      index.copies.set(dup.of, [...(index.copies.get(dup.of) ?? []), dup.msg]);
    }
  }
  return index;
}

/**
 * server-errors: a 500 (a broken invariant of the server) or any 5xx to a request the
 * server applied — the client is told to retry a write that took effect. An injected 503
 * is decided before the model, so it never applies anything.
 */
function serverErrors(index: MessageIndex, cap: number): RecordedCheck {
  const findings = new Findings(cap);
  for (const reply of index.replies) {
    const status = reply.status ?? 0;
    if (status < 500) continue;
    const request = reply.reply!;
    const applied = [request, ...(index.copies.get(request) ?? [])].flatMap((m) => index.applies.get(m) ?? []).filter((a) => a.result === 'applied');
    if (status !== 500 && applied.length === 0) continue;
    findings.report(() => ({
      seqs: seqList(reply.seq, ...applied.map((a) => a.seq)),
      message: applied.length > 0
        ? `${reply.method} ${reply.path} was answered ${status} after the server applied ${applied.length} write(s) of it (${applied.map((a) => a.task).join(', ')}): a retry repeats them`
        : `${reply.method} ${reply.path} was answered 500: the server broke an invariant`,
    }));
  }
  return asRecorded(SERVER_ERRORS, findings, { replies: index.replies.length });
}

/** duplicate-delivery: a request applied twice (serve's duplicate fault, as a retry would be) made more than one server task. */
function duplicateDelivery(index: MessageIndex, cap: number): RecordedCheck {
  const findings = new Findings(cap);
  let judged = 0;
  for (const [original, copies] of index.copies) {
    judged++;
    const created = [original, ...copies].flatMap((m) => index.applies.get(m) ?? []).filter((a) => a.op === 'create' && a.result === 'applied');
    const ids = new Set(created.map((a) => a.id ?? a.task));
    const asked = (index.applies.get(original) ?? []).filter((a) => a.op === 'create').length;
    if (ids.size <= asked) continue;
    findings.report(() => ({
      task: created[0]?.task,
      seqs: seqList(...created.map((a) => a.seq)),
      message: `a request delivered ${copies.length + 1} times made ${ids.size} server tasks (${[...ids].join(', ')}) where it asks for ${asked}: a retry of it duplicates`,
    }));
  }
  return asRecorded(DUPLICATE_DELIVERY, findings, { duplicated: judged });
}

function asRecorded(checker: string, findings: Findings, stats: Record<string, number>): RecordedCheck {
  const violations: Violation[] = findings.kept;
  return { checker, ok: findings.count === 0, violations, stats: { ...stats, violations: findings.count } };
}
