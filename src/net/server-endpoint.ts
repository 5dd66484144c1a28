import { Fence, type Kernel } from '../kernel/index.ts';
import type { HttpShape, Message, NetworkNode } from './message.ts';
import type { Network } from './network.ts';

export interface HttpReply {
  status: number;
  headers: Record<string, string>;
  body: string | Uint8Array | null;
}

/** A synchronous request handler over virtual time (the server model). */
export type HttpHandler = (request: HttpShape, now: number) => HttpReply;

/**
 * A real server (SPEC §7 `--server`): a request goes out to it from outside the simulation
 * while virtual time stands still, unless `front` answers for it first (faults played in
 * front of the server). `settled` runs in the simulation when the reply is in, before the
 * reply is sent back: what the server decided is recorded there.
 */
export interface RealHttpHandler {
  front(request: HttpShape, now: number): HttpReply | null;
  forward(request: HttpShape): Promise<{ reply: HttpReply; settled?: () => void }>;
}

/**
 * The server on the network: each delivered request is handled and answered after
 * `processingMs`. A restart starts a new incarnation: requests in flight to the old one,
 * and replies it had not sent yet, are lost; the handler's store is its own business.
 */
export class ServerEndpoint implements NetworkNode {
  readonly id = 'server';
  private incarnation: Fence;
  private restarts = 0;

  constructor(
    private readonly network: Network,
    private readonly kernel: Kernel,
    private readonly handler: HttpHandler | RealHttpHandler,
    public processingMs = 0,
  ) {
    this.incarnation = new Fence('server#1');
    network.addNode(this);
  }

  get fence(): Fence {
    return this.incarnation;
  }

  restart(): void {
    this.incarnation.close();
    this.restarts++;
    this.incarnation = new Fence(`server#${this.restarts + 1}`);
  }

  receive(request: Message): void {
    const send = (reply: HttpReply) =>
      this.network.send(this.id, request.from, {
        method: request.method,
        path: request.path,
        headers: lowerCaseNames(reply.headers),
        body: reply.body,
        status: reply.status,
        reply: request,
      });
    const handler = this.handler;
    if (typeof handler !== 'function') return this.receiveReal(handler, request, send);
    const answer = () => send(handler(request, this.kernel.now));
    if (this.processingMs === 0) answer();
    else this.kernel.schedule(this.processingMs, answer, { fence: this.incarnation });
  }

  /**
   * A real server's answer leaves at the instant the request arrived (virtual time stood
   * still meanwhile), as an event of this incarnation: a restart in between loses it. A
   * server that cannot be reached stops the run: that is no behaviour of the engine's.
   */
  private receiveReal(handler: RealHttpHandler, request: Message, send: (reply: HttpReply) => void): void {
    const refused = handler.front(request, this.kernel.now);
    if (refused !== null) return send(refused);
    const { method, path, headers, body } = request;
    this.kernel.startRealWork(() => handler.forward({ method, path, headers, body }), (outcome) => {
      if ('error' in outcome) {
        this.kernel.fail(outcome.error instanceof Error ? outcome.error : new Error(String(outcome.error)));
        return;
      }
      outcome.value.settled?.();
      send(outcome.value.reply);
    }, this.incarnation);
  }
}

/** HTTP header names are case-insensitive; on the wire here they are lower case. */
function lowerCaseNames(headers: Record<string, string>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const name in headers) result[name.toLowerCase()] = headers[name]!;
  return result;
}
