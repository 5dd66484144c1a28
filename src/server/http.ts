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
