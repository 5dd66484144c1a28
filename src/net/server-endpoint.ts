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
    private readonly handler: HttpHandler,
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
    const answer = () => {
      const reply = this.handler(request, this.kernel.now);
      this.network.send(this.id, request.from, {
        method: request.method,
        path: request.path,
        headers: lowerCaseNames(reply.headers),
        body: reply.body,
        status: reply.status,
        reply: request,
      });
    };
    if (this.processingMs === 0) answer();
    else this.kernel.schedule(this.processingMs, answer, { fence: this.incarnation });
  }
}

/** HTTP header names are case-insensitive; on the wire here they are lower case. */
function lowerCaseNames(headers: Record<string, string>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const name in headers) result[name.toLowerCase()] = headers[name]!;
  return result;
}
