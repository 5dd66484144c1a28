import { gunzipSync, gzipSync } from 'node:zlib';

export interface Reply {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON of the API, checked by each test
  body: any;
}

export interface CallOptions {
  token?: string | null;
  body?: unknown;
  raw?: Uint8Array | string;
  headers?: Record<string, string>;
}

/** One request to the backend (Node's fetch, 127.0.0.1 only, 30 s at most); a JSON body is parsed. */
export async function call(base: string, method: string, path: string, options: CallOptions = {}): Promise<Reply> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== null) headers.authorization = `Bearer ${options.token ?? 'demo-token'}`;
  let body: Uint8Array | string | undefined = options.raw;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] = 'application/json';
  }
  const response = await fetch(base + path, { method, headers, body, signal: AbortSignal.timeout(30_000) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === '' ? undefined : JSON.parse(text) };
}

export const gzip = (value: unknown): Uint8Array => gzipSync(JSON.stringify(value));
export const gunzip = (bytes: Uint8Array): unknown => JSON.parse(gunzipSync(bytes).toString('utf8'));
