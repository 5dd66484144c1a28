/**
 * The slice of the WHATWG fetch API the simulator offers engines, as the network declares
 * it (net may not import engines): the engine contract's copy is in engines/ports.ts, and
 * `world` checks, where it hands `fetch` to an engine, that the two fit.
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
