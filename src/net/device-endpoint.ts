import { assert, Fence, type Kernel } from '../kernel/index.ts';
import type { FetchInit, FetchPort, FetchResponse } from './fetch-types.ts';
import type { Message, NetworkNode, NodeId } from './message.ts';
import type { Network } from './network.ts';
import { normalizeHeaders, pathOf, SimResponse } from './sim-response.ts';

interface PendingRequest {
  resolve(response: FetchResponse): void;
  reject(error: unknown): void;
}

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

/** The error real fetch gives when the device has no network at all. */
function networkDownError(): TypeError {
  return new TypeError('fetch failed', { cause: { code: 'ENETUNREACH', message: 'network is unreachable' } });
}

/** The error when the interface goes down under a request in flight. */
function connectionLostError(): TypeError {
  return new TypeError('fetch failed', { cause: { code: 'ECONNRESET', message: 'the network connection was lost' } });
}

/**
 * A device on the network. Its `fetch` turns requests into messages; the first reply to a
 * request settles it, later copies are ignored. A lost request or reply leaves the fetch
 * pending until the engine's own AbortSignal fires, as on a real phone.
 */
export class DeviceEndpoint implements NetworkNode {
  /** Before the first launch, a closed placeholder: nothing is addressed to it. */
  private incarnation: Fence;
  private readonly pending = new Map<number, PendingRequest>();

  constructor(
    readonly id: NodeId,
    private readonly network: Network,
    private readonly kernel: Kernel,
    private readonly server: NodeId = 'server',
  ) {
    this.incarnation = new Fence(`${id}#0`);
    this.incarnation.close();
    network.addNode(this);
    network.onTopologyChange(() => {
      if (!network.isUp(id)) this.failInFlight();
    });
  }

  /**
   * The interface went down (airplane mode, no connection): requests in flight fail at
   * once, as URLSession's do. A partition, which the device cannot see, fails nothing.
   */
  private failInFlight(): void {
    if (this.pending.size === 0) return;
    const failed = [...this.pending.values()];
    this.pending.clear();
    this.kernel.schedule(0, () => {
      for (const request of failed) request.reject(connectionLostError());
    }, { fence: this.incarnation, async: true });
  }

  get fence(): Fence {
    return this.incarnation;
  }

  /** A new incarnation (launch or restart): requests of the old one are never answered. */
  reincarnate(fence: Fence): void {
    assert(!this.incarnation.alive, `device ${this.id} restarted while its incarnation is alive`);
    this.pending.clear();
    this.incarnation = fence;
  }

  /** The fetch port of the incarnation alive now. */
  fetchFor(fence: Fence): FetchPort {
    return (input, init) => this.fetch(fence, input, init);
  }

  receive(message: Message): void {
    // The reply reached the device; the app handles it when it runs (held while suspended).
    this.kernel.schedule(0, () => this.settle(message), { fence: message.toFence, async: true });
  }

  connectionReset(request: Message): void {
    const pending = this.pending.get(request.id);
    if (pending === undefined || request.fromFence === null || !request.fromFence.alive) return;
    this.pending.delete(request.id);
    this.kernel.schedule(0, () => pending.reject(connectionLostError()), { fence: request.fromFence, async: true });
  }

  private settle(message: Message): void {
    const request = message.reply === undefined ? undefined : this.pending.get(message.reply);
    if (request === undefined) return;
    this.pending.delete(message.reply!);
    request.resolve(new SimResponse(message.status ?? 200, message.headers, message.body));
  }

  private fetch(fence: Fence, input: string, init: FetchInit = {}): Promise<FetchResponse> {
    return new Promise<FetchResponse>((resolve, reject) => {
      if (!fence.alive) return; // a dead incarnation's request never leaves the device
      const signal = init.signal ?? null;
      if (signal?.aborted) return reject(abortError(signal));
      const message = this.network.send(this.id, this.server, {
        method: (init.method ?? 'GET').toUpperCase(),
        path: pathOf(input),
        headers: normalizeHeaders(init.headers),
        body: init.body ?? null,
      });
      if (message === null) {
        this.kernel.schedule(0, () => reject(networkDownError()), { fence, async: true });
        return;
      }
      const id = message.id;
      const onAbort = () => {
        if (this.pending.delete(id)) reject(abortError(signal!));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, {
        resolve: (response) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(response);
        },
        reject,
      });
    });
  }
}
