import type { HttpHandler } from '../../src/net/index.ts';

/** A stand-in server: answers every request with what it got and a running count. */
export function echoHandler(): HttpHandler {
  let count = 0;
  return (request, now) => {
    count++;
    const body = typeof request.body === 'string' ? request.body : null;
    return {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ method: request.method, path: request.path, body, now, n: count }),
    };
  };
}
