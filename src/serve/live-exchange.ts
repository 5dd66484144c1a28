import type { FaultInjector, RequestFaults } from '../server/faults/injector.ts';
import { faultReply, storageFailureReply } from '../server/faults/replies.ts';
import { header, type HttpRequest, type HttpResponse } from '../server/http.ts';
import type { RefusedRequest } from '../server/listen.ts';
import type { RequestJournal } from '../server/persist/request-journal.ts';
import type { ServerApplyEvent, SyncServer } from '../server/server.ts';
import type { TraceEventFields } from '../trace/index.ts';
import type { ServeTrace } from './serve-trace.ts';

export interface LiveExchangeOptions {
  server: SyncServer;
  /** Real ms: the server's `now`. */
  clock: () => number;
  journal?: RequestJournal;
  faults?: FaultInjector;
  trace?: ServeTrace;
  /** Waits real time (an injected latency). */
  sleep?: (ms: number) => Promise<void>;
  /** The journal failed: memory is ahead of the file, so the process must stop and replay. */
  onFatal?: (error: Error) => void;
}

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * One request through `syncsim serve`: its seeded faults, the model's decision, the
 * journal and the trace, in that order. The reply is sent only once the journal holds
 * everything the reply shows (its own records, and for a read every record before it), so
 * an acknowledged write survives kill -9 and a read never shows a write that could vanish.
 */
export class LiveExchange {
  /** The apply events of the request being handled: `handle` is synchronous, so one at a time. */
  private applies: ServerApplyEvent[] = [];
  /** The journal failed: nothing more is applied, every request is a retryable 503 until the process restarts. */
  private broken: Error | null = null;
  /** The server is closing: a request still waiting out its latency is reset, never applied to a closed journal. */
  private stopped = false;

  constructor(private readonly options: LiveExchangeOptions) {}

  /** Called before the journal and trace close. */
  stop(): void {
    this.stopped = true;
  }

  /** For SyncServer's `onApply`. */
  collect = (event: ServerApplyEvent): void => {
    this.applies.push(event);
  };

  /** For `startHttpServer`'s `exchange`. */
  exchange = async (request: HttpRequest): Promise<HttpResponse | 'reset'> => {
    const { trace, faults, journal } = this.options;
    if (this.broken !== null) return storageFailureReply(request);
    const client = this.clientOf(request);
    const msg = this.send(client, 'server', request);
    const decided = faults?.next(!READS.has(request.method)) ?? null;
    if (decided !== null) this.traceFaults(decided, msg);
    if (decided !== null && decided.latencyMs > 0) await (this.options.sleep ?? realSleep)(decided.latencyMs);
    if (this.stopped || decided?.fault === 'resetBeforeApply') {
      this.drop(msg, client, 'server', request);
      return 'reset';
    }
    this.deliver(msg, client, 'server', request);
    let response: HttpResponse;
    if (decided?.fault === 'unavailable' || decided?.fault === 'rateLimited') {
      response = faultReply(decided.fault, decided.retryAfterS, request);
    } else {
      response = this.apply(request, msg);
      if (decided?.fault === 'duplicate' && this.broken === null) {
        const copy = trace?.newMessage() ?? 0;
        trace?.record('msg.dup', { msg: copy, of: msg, from: client, to: 'server', method: request.method, path: request.path });
        this.deliver(copy, client, 'server', request);
        response = this.apply(request, copy);
      }
    }
    if (journal !== undefined) {
      try {
        await journal.durable(journal.position);
      } catch (error) {
        this.fail(error);
        response = storageFailureReply(request);
      }
    }
    const reply = this.send('server', client, request, { reply: msg, status: response.status });
    if (decided?.fault === 'resetAfterApply') {
      this.drop(reply, 'server', client, request, { reply: msg, status: response.status });
      return 'reset';
    }
    this.deliver(reply, 'server', client, request, { reply: msg, status: response.status });
    return response;
  };

  /**
   * For `startHttpServer`'s `onRefused`: a request the HTTP layer answered itself (too
   * large, CONNECT, too slow, malformed) is traced as a request and its reply, so the
   * trace shows every request the server was sent. Nothing is journaled: nothing changed.
   */
  refused = (refused: RefusedRequest): void => {
    if (this.options.trace === undefined) return;
    const client = refused.request === null ? 'anonymous' : this.clientOf(refused.request);
    const message = { method: refused.method, path: refused.path };
    const msg = this.send(client, 'server', message);
    this.deliver(msg, client, 'server', message);
    const reply = this.send('server', client, message, { reply: msg, status: refused.status });
    this.deliver(reply, 'server', client, message, { reply: msg, status: refused.status });
  };

  /** The model's decision, journaled (when it may have changed the store) and traced. */
  private apply(request: HttpRequest, msg: number): HttpResponse {
    const { server, journal, trace, clock } = this.options;
    const now = clock();
    this.applies = [];
    const response = server.handle(request, now);
    const applies = this.applies;
    this.applies = [];
    // By the model's contract an error changes nothing and every change is a decision; a 2xx write is kept too, to be safe.
    const mayChange = !READS.has(request.method) && (applies.length > 0 || (response.status >= 200 && response.status < 300));
    if (journal !== undefined && mayChange) {
      const user = applies[0]?.user ?? server.userOf(request);
      if (user !== undefined) {
        try {
          journal.record(request, user, now, response.status);
        } catch (error) {
          this.fail(error);
          return storageFailureReply(request);
        }
      }
    }
    for (const event of applies) trace?.record('server.apply', applyFields(event, msg));
    return response;
  }

  private fail(error: unknown): void {
    if (this.broken !== null) return;
    this.broken = error instanceof Error ? error : new Error(String(error));
    this.options.onFatal?.(this.broken);
  }

  /** The trace's name for the client: its X-Device-Id, else its user, else "anonymous". */
  private clientOf(request: HttpRequest): string {
    const device = header(request, 'x-device-id')?.trim().replace(/[^\w.:@-]/g, '_').slice(0, 64);
    if (device !== undefined && device !== '') return device;
    return this.options.server.userOf(request) ?? 'anonymous';
  }

  private traceFaults(decided: RequestFaults, msg: number): void {
    const trace = this.options.trace;
    if (trace === undefined) return;
    const base = { msg, request: decided.index };
    if (decided.latencyMs > 0) trace.record('fault', { kind: 'network', detail: { ...base, fault: 'latency', latencyMs: decided.latencyMs } });
    switch (decided.fault) {
      case 'none': return;
      case 'unavailable': return trace.record('fault', { kind: 'unavailable', detail: { ...base, fault: 'unavailable', retryAfter: decided.retryAfterS, outage: decided.inOutage } });
      case 'rateLimited': return trace.record('fault', { kind: 'rateLimit', detail: { ...base, fault: 'rateLimited', retryAfter: decided.retryAfterS } });
      case 'resetBeforeApply': return trace.record('fault', { kind: 'connection', detail: { ...base, fault: 'resetBeforeApply' } });
      case 'resetAfterApply': return trace.record('fault', { kind: 'connection', detail: { ...base, fault: 'resetAfterApply' } });
      case 'duplicate': return trace.record('fault', { kind: 'network', detail: { ...base, fault: 'duplicate' } });
      default: {
        const never: never = decided.fault;
        throw new Error(`unknown fault ${String(never)}`);
      }
    }
  }

  /** Traces a message sent (a request, or a reply with `reply` and `status`); returns its id. */
  private send(from: string, to: string, request: TracedRequest, extra: { reply?: number; status?: number } = {}): number {
    const trace = this.options.trace;
    if (trace === undefined) return 0;
    const msg = trace.newMessage();
    trace.record('msg.send', { msg, from, to, method: request.method, path: request.path, ...extra });
    return msg;
  }

  private deliver(msg: number, from: string, to: string, request: TracedRequest, extra: { reply?: number; status?: number } = {}): void {
    this.options.trace?.record('msg.deliver', { msg, from, to, method: request.method, path: request.path, ...extra });
  }

  private drop(msg: number, from: string, to: string, request: TracedRequest, extra: { reply?: number; status?: number } = {}): void {
    this.options.trace?.record('msg.drop', { msg, from, to, method: request.method, path: request.path, ...extra, reason: 'reset' });
  }
}

/** What a message event names of its request. */
type TracedRequest = Pick<HttpRequest, 'method' | 'path'>;

/** server.apply as the trace has it: the logical task is the user's clientId (the device's task id). */
function applyFields(event: ServerApplyEvent, msg: number): TraceEventFields['server.apply'] & Record<string, unknown> {
  return {
    write: event.write, task: taskName(event.user, event.clientId, event.id), result: event.result, version: event.version, cursor: event.cursor,
    op: event.op, id: event.id, user: event.user, msg,
  };
}

/** Tasks are named `user/clientId`: clientIds are unique per user only. */
export function taskName(user: string, clientId: string, id: string): string {
  return `${user}/${clientId !== '' ? clientId : id}`;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
