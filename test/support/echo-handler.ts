import type { HttpHandler } from '../../src/net/index.ts';

/** A stand-in server: answers every request with what it got and a count. */
export function echoHandler(): HttpHandler & { count: number } {
  const handler = ((request, now) => {
    handler.count++;
    const body = typeof request.body === 'string' ? request.body : null;
    return {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ method: request.method, path: request.path, body, now, n: handler.count }),
    };
  }) as HttpHandler & { count: number };
  handler.count = 0;
  return handler;
}
