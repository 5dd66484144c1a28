/**
 * The slice of the WHATWG fetch API the simulator offers engines. Engines written against
 * it run on the real `fetch` too.
 */
export interface FetchInit {
  method?: string;
  headers?: Record<string, string> | Array<[string, string]> | { forEach(cb: (value: string, key: string) => void): void };
  body?: string | Uint8Array | null;
  signal?: AbortSignal | null;
}

export interface FetchHeaders {
  get(name: string): string | null;
  has(name: string): boolean;
}

export interface FetchResponse {
  readonly status: number;
  readonly ok: boolean;
  readonly headers: FetchHeaders;
  readonly bodyUsed: boolean;
  text(): Promise<string>;
  json(): Promise<unknown>;
  arrayBuffer(): Promise<ArrayBuffer>;
}

export type FetchPort = (input: string, init?: FetchInit) => Promise<FetchResponse>;
