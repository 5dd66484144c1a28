import type { Fence } from '../kernel/index.ts';

/** A node's name on the network: a device id, or "server". */
export type NodeId = string;
export const SERVER: NodeId = 'server';

/** The HTTP-shaped content of a message: a request, or a reply (with status). */
export interface HttpShape {
  method: string;
  /** Path and query string of the request (replies carry their request's). */
  path: string;
  /** Lower-case header names. */
  headers: Record<string, string>;
  body: string | Uint8Array | null;
}

export interface Message extends HttpShape {
  readonly id: number;
  readonly from: NodeId;
  readonly to: NodeId;
  /** On a reply: the id of the request it answers. */
  readonly reply?: number;
  /** On a reply: the HTTP status. */
  readonly status?: number;
  /** The sender's incarnation when it sent this (a reply goes back to it, not to a successor). */
  readonly fromFence: Fence | null;
  /** The recipient's incarnation when this was sent: a crash or restart before delivery loses it. */
  readonly toFence: Fence | null;
}

/** A participant on the simulated network. */
export interface NetworkNode {
  readonly id: NodeId;
  /** The incarnation now alive (null for nodes that never crash). */
  readonly fence: Fence | null;
  receive(message: Message): void;
  /** The request's connection was reset by a restarting recipient (a TCP RST): fail it now. */
  connectionReset?(request: Message): void;
}
