/** One HTTP request as the server model sees it: the same shape in the simulator and behind node:http. */
export interface HttpRequest {
  /** Upper case. */
  method: string;
  /** Path plus query string, e.g. "/v1/tasks?since=3&limit=100". */
  path: string;
  /** Lower-case header names. */
  headers: Record<string, string>;
  /** Raw body; gzip bytes when `content-encoding: gzip`. */
  body: string | Uint8Array | null;
}

/** One HTTP response; JSON text, gzip bytes (when the request accepted gzip) or no body. */
export interface HttpResponse {
  status: number;
  /** Lower-case header names. */
  headers: Record<string, string>;
  body: string | Uint8Array | null;
}

/**
 * Reads a header by its lower-case name. Callers are asked for lower-case names, but a
 * mixed-case one costs only a scan, so we accept it rather than fail confusingly.
 */
export function header(request: HttpRequest, name: string): string | undefined {
  const direct = Object.hasOwn(request.headers, name) ? request.headers[name] : undefined;
  if (typeof direct === 'string') return direct;
  for (const [key, value] of Object.entries(request.headers)) {
    if (key.toLowerCase() === name && typeof value === 'string') return value;
  }
  return undefined;
}

/** Header pairs as adapters receive them: node:http's `IncomingHttpHeaders` entries or a fetch `Headers`. */
export type WireHeaders = Iterable<readonly [string, string | readonly string[] | undefined]>;

/** What an HTTP adapter (node:http, a fetch mock) read off the wire, before the model sees it. */
export interface WireRequest {
  method: string | undefined;
  /** Path plus query string, as in the request line. */
  target: string;
  headers: WireHeaders;
  /** The raw body bytes; empty or null when there is none. */
  body: Uint8Array | null;
}

/**
 * The model's request from what an adapter read: every adapter turns bytes into the same
 * shape here, so decoding (gzip, UTF-8, JSON, the size cap) stays the model's alone.
 */
export function wireRequest(wire: WireRequest): HttpRequest {
  return {
    method: (wire.method ?? 'GET').toUpperCase(),
    path: wire.target === '' ? '/' : wire.target,
    headers: flattenHeaders(wire.headers),
    body: wire.body === null || wire.body.length === 0 ? null : wire.body,
  };
}

/** Lower-case names; a repeated header's values joined with ", " as HTTP allows. */
function flattenHeaders(headers: WireHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of headers) {
    if (value === undefined) continue;
    const text = typeof value === 'string' ? value : value.join(', ');
    const key = name.toLowerCase();
    flat[key] = Object.hasOwn(flat, key) ? `${flat[key] ?? ''}, ${text}` : text;
  }
  return flat;
}
