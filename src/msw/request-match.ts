/** A request as fault rules see it: the method and the API path (no query, base URL removed). */
export interface RequestLine {
  method: string;
  path: string;
}

/**
 * Which requests a fault hits: `"POST /v1/tasks"`, `"PUT /v1/tasks/*"`, `"* /v1/sync/*"`,
 * `"/v1/tasks"` (any method), or a predicate. In a path, `*` stands for any characters.
 */
export type RequestMatch = string | ((request: RequestLine) => boolean);

/** The predicate of a match; a malformed string throws at once, where the test wrote it. */
export function compileMatch(match: RequestMatch): (request: RequestLine) => boolean {
  if (typeof match === 'function') return match;
  const parts = match.trim().split(/\s+/);
  const [method, path] = parts.length === 1 ? ['*', parts[0] ?? ''] : [parts[0] ?? '', parts[1] ?? ''];
  if (parts.length > 2 || !path.startsWith('/') || !/^(\*|[A-Za-z]+)$/.test(method)) {
    throw new TypeError(`syncsim/msw: a request match is "METHOD /path" or "/path", got "${match}"`);
  }
  const wanted = method.toUpperCase();
  const pattern = new RegExp(`^${path.split('*').map(escapeRegExp).join('.*')}$`);
  return (request) => (wanted === '*' || request.method === wanted) && pattern.test(request.path);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
