import { HttpResponse as FetchResponse } from 'msw';
import { wireRequest, type HttpRequest, type HttpResponse } from '../server/index.ts';

/** Where the API lives: an origin plus an optional path prefix, e.g. https://api.example.test/api. */
export interface ApiLocation {
  /** The msw path pattern of every API request. */
  pattern: string;
  /** The prefix the model does not know about, removed from each request's path ('' for none). */
  prefix: string;
}

/** Reads the base URL once; a relative or query-carrying one is a mistake best reported at setup. */
export function apiLocation(baseUrl: string): ApiLocation {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new TypeError(`syncsim/msw: baseUrl must be an absolute URL like "https://api.example.test", got "${baseUrl}"`);
  }
  if (url.search !== '' || url.hash !== '') {
    throw new TypeError(`syncsim/msw: baseUrl must not carry a query or fragment, got "${baseUrl}"`);
  }
  const prefix = url.pathname.replace(/\/+$/, '');
  // Only the API's own namespace: the team's other handlers on the same host keep working.
  return { pattern: `${url.origin}${prefix}/v1/*`, prefix };
}

/** The model's request from a fetch Request: the same adapter function node:http uses. */
export async function modelRequest(request: Request, location: ApiLocation): Promise<HttpRequest> {
  const url = new URL(request.url);
  const pathname = url.pathname.startsWith(location.prefix) ? url.pathname.slice(location.prefix.length) : url.pathname;
  const body = request.body === null ? null : new Uint8Array(await request.arrayBuffer());
  return wireRequest({ method: request.method, target: `${pathname}${url.search}`, headers: headerPairs(request.headers), body });
}

/** Headers as pairs; fetch already joins a repeated header's values. */
function headerPairs(headers: Headers): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  headers.forEach((value, name) => pairs.push([name, value]));
  return pairs;
}

/**
 * The fetch Response of a model reply. A gzip body keeps its content-encoding header;
 * msw's fetch interceptor decodes it, as a real fetch would.
 */
export function fetchResponse(response: HttpResponse): Response {
  const body = typeof response.body === 'string' || response.body === null ? response.body : copyBytes(response.body);
  return new FetchResponse(body, { status: response.status, headers: response.headers });
}

/** A fresh ArrayBuffer-backed copy: BodyInit wants one, and the model's bytes may view a shared pool. */
function copyBytes(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return copy;
}
