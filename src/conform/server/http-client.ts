import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { gunzipSync, gzipSync } from 'node:zlib';

/**
 * The suite's HTTP client: node:http rather than fetch, because the rules need what fetch
 * hides or refuses (raw gzip bytes, any method token, HEAD bodies, exact headers). Every
 * request has a timeout and the suite a deadline, so a server that hangs cannot hang us.
 */

export interface ApiRequest {
  method: string;
  /** Path and query, e.g. `/v1/tasks?since=3`; joined to the base URL's path. */
  path: string;
  /** The bearer token; null sends no Authorization header. */
  token: string | null;
  /** A JSON value (serialised), or raw bytes/text sent as they are. */
  json?: unknown;
  raw?: string | Uint8Array;
  /** Gzip the body and say so (`Content-Encoding: gzip`). */
  gzipBody?: boolean;
  headers?: Record<string, string>;
}

/** One request and what came back: the evidence a rule's failure quotes. */
export interface Exchange {
  request: { method: string; path: string; headers: Record<string, string>; bodyExcerpt: string };
  status: number;
  headers: IncomingHttpHeaders;
  /** The body as received (still gzip when the server gzipped it). */
  raw: Buffer;
  /** The body decoded (gunzipped when `content-encoding: gzip`), as text. */
  text: string;
  /** The body parsed as JSON, or undefined when it is none or not JSON. */
  json: unknown;
}

/** The server could not be reached or did not answer in time: not a rule's verdict. */
export class TransportError extends Error {
  constructor(message: string, readonly request: Exchange['request']) {
    super(message);
    this.name = 'TransportError';
  }
}

export interface ClientOptions {
  baseUrl: URL;
  /** Per request. */
  timeoutMs: number;
  /** The suite's deadline (real ms since the epoch); no request starts or runs past it. */
  deadline: number;
  /** Real clock of the CLI (not a simulated run). */
  now: () => number;
  /** 429/503 replies are retried after their Retry-After (at most this many times, each wait at most 2 s). */
  retries: number;
}

const EXCERPT = 300;
const MAX_RETRY_WAIT_MS = 2_000;

export class ApiClient {
  /** Status codes of 429/503 replies seen, with their Retry-After header: judged by a rule of their own. */
  readonly retryReplies: Array<{ status: number; retryAfter: string | undefined; exchange: Exchange }> = [];
  /** 403 QUOTA_EXCEEDED replies seen: the quota is off by default, so only these can judge its shape. */
  readonly quotaReplies: Exchange[] = [];

  constructor(readonly options: ClientOptions) {}

  async send(req: ApiRequest): Promise<Exchange> {
    for (let attempt = 0; ; attempt++) {
      const exchange = await this.once(req);
      if (exchange.status === 403 && errorCode(exchange.json) === 'QUOTA_EXCEEDED' && this.quotaReplies.length < 20) this.quotaReplies.push(exchange);
      if (exchange.status !== 429 && exchange.status !== 503) return exchange;
      const retryAfter = headerText(exchange.headers['retry-after']);
      this.retryReplies.push({ status: exchange.status, retryAfter, exchange });
      if (attempt >= this.options.retries) return exchange;
      const seconds = Number(retryAfter);
      const wait = Math.min(MAX_RETRY_WAIT_MS, Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 500);
      if (this.options.now() + wait >= this.options.deadline) return exchange;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  private once(req: ApiRequest): Promise<Exchange> {
    const { body, plain, headers } = encodeBody(req);
    const target = joinPath(this.options.baseUrl, req.path);
    const described = { method: req.method, path: req.path, headers, bodyExcerpt: excerpt(plain) + (req.gzipBody === true ? ' (sent gzipped)' : '') };
    const left = this.options.deadline - this.options.now();
    if (left <= 0) return Promise.reject(new TransportError('the suite ran past its deadline', described));
    const timeout = Math.min(this.options.timeoutMs, left);
    const send = this.options.baseUrl.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<Exchange>((resolve, reject) => {
      const fail = (message: string) => reject(new TransportError(message, described));
      const timer = setTimeout(() => {
        outgoing.destroy();
        fail(`no complete reply within ${timeout} ms`);
      }, timeout);
      const outgoing = send(target, { method: req.method, headers: { ...headers, ...(body && { 'content-length': String(body.length) }) } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.once('error', (error) => {
          clearTimeout(timer);
          fail(error.message);
        });
        res.once('end', () => {
          clearTimeout(timer);
          resolve(exchangeOf(described, res.statusCode ?? 0, res.headers, Buffer.concat(chunks)));
        });
      });
      outgoing.once('error', (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        fail(error.code === 'ECONNREFUSED' ? `connection refused at ${this.options.baseUrl.origin}` : error.message);
      });
      // A 413 may come while we still upload; the server then closes, which is not a transport failure of ours.
      outgoing.end(body ?? undefined);
    });
  }
}

function encodeBody(req: ApiRequest): { body: Buffer | null; plain: Buffer | null; headers: Record<string, string> } {
  const headers: Record<string, string> = { ...(req.token !== null && { authorization: `Bearer ${req.token}` }) };
  let body: Buffer | null = null;
  if (req.json !== undefined) {
    body = Buffer.from(JSON.stringify(req.json), 'utf8');
    headers['content-type'] = 'application/json';
  } else if (req.raw !== undefined) {
    body = Buffer.from(req.raw);
    headers['content-type'] = 'application/json';
  }
  const plain = body;
  if (body !== null && req.gzipBody === true) {
    body = gzipSync(body);
    headers['content-encoding'] = 'gzip';
  }
  return { body, plain, headers: { ...headers, ...req.headers } };
}

function exchangeOf(request: Exchange['request'], status: number, headers: IncomingHttpHeaders, raw: Buffer): Exchange {
  let decoded = raw;
  if (headerText(headers['content-encoding'])?.toLowerCase() === 'gzip' && raw.length > 0) {
    try {
      decoded = gunzipSync(raw);
    } catch {
      decoded = raw;
    }
  }
  const text = decoded.toString('utf8');
  let json: unknown;
  try {
    json = text === '' ? undefined : (JSON.parse(text) as unknown);
  } catch {
    json = undefined;
  }
  return { request, status, headers, raw, text, json };
}

/** `http://h/api` + `/v1/tasks` → `http://h/api/v1/tasks`: a server may live under a prefix. */
function joinPath(base: URL, path: string): URL {
  const prefix = base.pathname.replace(/\/+$/, '');
  return new URL(`${base.origin}${prefix}${path}`);
}

function errorCode(json: unknown): unknown {
  if (typeof json !== 'object' || json === null) return undefined;
  const error = (json as { error?: unknown }).error;
  return typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
}

export function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

/** At most EXCERPT characters of a body, for a report. */
export function excerpt(body: Buffer | string | null): string {
  if (body === null) return '';
  const size = body.length;
  const text = typeof body === 'string' ? body : body.subarray(0, 4 * EXCERPT).toString('utf8');
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x08\x0e-\x1f]/.test(text)) return `<${size} bytes of binary>`;
  return size > EXCERPT ? `${text.slice(0, EXCERPT)}… (${size} ${typeof body === 'string' ? 'characters' : 'bytes'})` : text;
}
