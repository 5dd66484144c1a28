import { createServer } from 'node:http';
import { gunzipSync, gzipSync } from 'node:zlib';
import { resetDatabase, userOfToken } from './db.mjs';
import { ApiError, badRequest } from './errors.mjs';
import { matchRoute } from './routes.mjs';

/** The largest request body, before and after gunzip. */
export const MAX_BODY_BYTES = 1024 * 1024;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The API behind node:http. Pipeline: admin reset (its own secret) → auth (401) → route
 * (404/405) → body size (413) → body decoding (415/400) → the handler, whose database
 * work is one transaction. Every error is `{ error: { code, message, retryable } }`;
 * anything unexpected is a 500 INTERNAL, logged, and the process goes on.
 */
export function startHttpServer(db, options) {
  // Tokens are registered at start and never change: each is looked up in the database once.
  const users = new Map();
  const userOf = async (token) => {
    if (!users.has(token)) {
      const user = await userOfToken(db, token);
      if (user === undefined) return undefined;
      users.set(token, user);
    }
    return users.get(token);
  };
  // Timeouts are checked every second (node's default is every 30 s), so a slow client is cut off near its deadline.
  const server = createServer({ connectionsCheckingInterval: 1_000 }, (req, res) => {
    handle(db, { ...options, userOf }, req, res).catch((error) => {
      options.log(`reply failed: ${error?.stack ?? error}`);
      res.destroy();
    });
  });
  // Headers and bodies that do not arrive in time are cut off (node answers 408).
  server.headersTimeout = options.headerTimeoutMs;
  server.requestTimeout = Math.max(options.headerTimeoutMs, 30_000);
  server.keepAliveTimeout = 5_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve(server));
  });
}

async function handle(db, options, req, res) {
  const method = (req.method ?? 'GET').toUpperCase();
  let reply;
  try {
    const raw = await readBody(req);
    reply = await dispatch(db, options, method, req, raw);
  } catch (error) {
    if (!(error instanceof ApiError)) options.log(`${method} ${req.url}: ${error?.stack ?? error}`);
    const api = error instanceof ApiError ? error : new ApiError(500, 'INTERNAL', String(error?.message ?? error));
    reply = { status: api.status, payload: api.payload(), headers: api.headers };
    if (api.status === 401) reply.headers = { ...reply.headers, 'www-authenticate': 'Bearer' };
    if (api.status === 413) reply.headers = { ...reply.headers, connection: 'close' };
  }
  send(req, res, method, reply);
  // A body cut off at the cap is not read to its end: the connection goes.
  if (req.tooLarge) res.on('finish', () => req.destroy());
}

async function dispatch(db, options, method, req, raw) {
  const url = parseTarget(req.url ?? '/');
  if (url.pathname === '/admin/reset' && options.adminSecret !== null) return adminReset(db, options, method, req);
  const token = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
  const user = token === undefined ? undefined : await options.userOf(token);
  if (user === undefined) throw new ApiError(401, 'UNAUTHORIZED', 'a valid Authorization: Bearer <token> header is required');
  const { handler, params } = matchRoute(method, url.pathname);
  if (raw === null) throw new ApiError(413, 'PAYLOAD_TOO_LARGE', `request body is larger than ${MAX_BODY_BYTES} bytes`, { limit: MAX_BODY_BYTES });
  let parsed;
  const body = () => (parsed ??= { value: decodeJson(raw, req.headers['content-encoding']) }).value;
  return handler({ db, user, query: url.searchParams, params, headers: req.headers, body, limits: options.limits, log: options.log });
}

/** POST /admin/reset with X-Admin-Secret: empties the store (the `--reset` of syncsim's runs). */
async function adminReset(db, options, method, req) {
  if (method !== 'POST') throw new ApiError(405, 'METHOD_NOT_ALLOWED', 'POST /admin/reset only', {}, { allow: 'POST' });
  if (req.headers['x-admin-secret'] !== options.adminSecret) throw new ApiError(401, 'UNAUTHORIZED', 'a valid X-Admin-Secret header is required');
  await resetDatabase(db);
  return { status: 200, payload: { reset: true } };
}

function parseTarget(target) {
  try {
    return new URL(target, 'http://localhost');
  } catch {
    throw badRequest(`the request target "${target}" is not a valid path`);
  }
}

/** The raw body, or null once it passes the cap (the rest is not read). */
function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.tooLarge = true;
        req.pause();
        resolve(null);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** JSON from the raw body (gunzipped when it says gzip, and capped again after), or undefined when empty. */
function decodeJson(raw, encoding) {
  if (raw.length === 0) return undefined;
  const name = (encoding ?? 'identity').trim().toLowerCase();
  let bytes = raw;
  if (name === 'gzip' || name === 'x-gzip') {
    try {
      bytes = gunzipSync(raw, { maxOutputLength: MAX_BODY_BYTES + 1 });
    } catch (error) {
      if (error.code === 'ERR_BUFFER_TOO_LARGE') throw new ApiError(413, 'PAYLOAD_TOO_LARGE', `request body is larger than ${MAX_BODY_BYTES} bytes once unzipped`, { limit: MAX_BODY_BYTES });
      throw badRequest(`request body is not valid gzip: ${error.message}`);
    }
    if (bytes.length > MAX_BODY_BYTES) throw new ApiError(413, 'PAYLOAD_TOO_LARGE', `request body is larger than ${MAX_BODY_BYTES} bytes once unzipped`, { limit: MAX_BODY_BYTES });
  } else if (name !== 'identity' && name !== '') {
    throw new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', `content-encoding "${name}" is not supported (gzip is)`);
  }
  let text;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw badRequest('request body is not valid UTF-8');
  }
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw badRequest(`request body is not valid JSON: ${error.message}`);
  }
}

function acceptsGzip(req) {
  return (req.headers['accept-encoding'] ?? '').split(',').some((part) => {
    const [name = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    return (name === 'gzip' || name === 'x-gzip') && (q === undefined || Number(q.slice(2)) > 0);
  });
}

function send(req, res, method, reply) {
  const headers = { ...reply.headers };
  if (reply.payload === undefined || method === 'HEAD') {
    res.writeHead(reply.status, headers);
    res.end();
    return;
  }
  let body = Buffer.from(JSON.stringify(reply.payload));
  headers['content-type'] = 'application/json; charset=utf-8';
  headers.vary = 'accept-encoding';
  if (acceptsGzip(req)) {
    body = gzipSync(body);
    headers['content-encoding'] = 'gzip';
  }
  headers['content-length'] = String(body.length);
  res.writeHead(reply.status, headers);
  res.end(body);
}
