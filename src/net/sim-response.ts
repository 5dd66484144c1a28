import { gunzipSync } from 'node:zlib';
import type { FetchHeaders, FetchInit, FetchResponse } from './fetch-types.ts';

class ReplyHeaders implements FetchHeaders {
  constructor(private readonly values: Record<string, string>) {}
  get(name: string): string | null {
    return this.values[name.toLowerCase()] ?? null;
  }
  has(name: string): boolean {
    return name.toLowerCase() in this.values;
  }
}

const decoder = new TextDecoder();

/** A reply as `fetch` would present it: gzip bodies are decoded, as a browser or undici does. */
export class SimResponse implements FetchResponse {
  readonly ok: boolean;
  readonly headers: FetchHeaders;
  bodyUsed = false;

  constructor(
    readonly status: number,
    headers: Record<string, string>,
    private readonly body: string | Uint8Array | null,
  ) {
    this.ok = status >= 200 && status < 300;
    this.headers = new ReplyHeaders(headers);
  }

  async text(): Promise<string> {
    const bytes = this.consume();
    return typeof bytes === 'string' ? bytes : decoder.decode(bytes);
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = this.consume();
    const view = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
    return view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength) as ArrayBuffer;
  }

  private consume(): string | Uint8Array {
    if (this.bodyUsed) throw new TypeError('Body is unusable: Body has already been read');
    this.bodyUsed = true;
    const body = this.body ?? '';
    if (typeof body !== 'string' && this.headers.get('content-encoding') === 'gzip') return gunzipSync(body);
    return body;
  }
}

/** Lower-cases request headers given in any of the shapes fetch accepts. */
export function normalizeHeaders(headers: FetchInit['headers']): Record<string, string> {
  const result: Record<string, string> = {};
  if (headers === undefined) return result;
  if (Array.isArray(headers)) {
    for (const [key, value] of headers) result[key.toLowerCase()] = value;
  } else if (typeof (headers as { forEach?: unknown }).forEach === 'function') {
    (headers as { forEach(cb: (value: string, key: string) => void): void }).forEach((value, key) => {
      result[key.toLowerCase()] = value;
    });
  } else {
    for (const [key, value] of Object.entries(headers as Record<string, string>)) result[key.toLowerCase()] = value;
  }
  return result;
}

/** "http://host/v1/tasks?x=1" or "/v1/tasks?x=1" → "/v1/tasks?x=1". */
export function pathOf(input: string): string {
  if (input.startsWith('/')) return input;
  const url = new URL(input);
  return url.pathname + url.search;
}
