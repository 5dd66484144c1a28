import { gunzipSync } from 'node:zlib';
import { apiError, badRequest, fail, ok, tooLarge, type Result } from './errors.ts';
import { header, type HttpRequest } from './http.ts';

/** The largest request body we accept, before and after gunzip. */
export const MAX_BODY_BYTES = 1024 * 1024;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The request body as parsed JSON, or `undefined` when there is none. Size is checked on
 * the raw bytes and again while gunzipping, so a small gzip bomb cannot grow past the cap.
 */
export function readJsonBody(request: HttpRequest): Result<unknown> {
  const raw = rawBytes(request.body);
  if (raw.length === 0) return ok(undefined);
  if (raw.length > MAX_BODY_BYTES) return fail(tooLarge(MAX_BODY_BYTES));
  const decoded = decodeContent(raw, header(request, 'content-encoding'));
  if (!decoded.ok) return decoded;
  let text: string;
  try {
    text = utf8.decode(decoded.value);
  } catch {
    return fail(badRequest('request body is not valid UTF-8'));
  }
  if (text.trim() === '') return ok(undefined);
  try {
    return ok(JSON.parse(text) as unknown);
  } catch (error) {
    return fail(badRequest(`request body is not valid JSON: ${(error as Error).message}`));
  }
}

function rawBytes(body: HttpRequest['body']): Uint8Array {
  if (body === null) return new Uint8Array(0);
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  return body;
}

function decodeContent(raw: Uint8Array, encoding: string | undefined): Result<Uint8Array> {
  const name = (encoding ?? 'identity').trim().toLowerCase();
  if (name === 'identity' || name === '') return ok(raw);
  if (name !== 'gzip' && name !== 'x-gzip') {
    return fail(apiError(415, 'UNSUPPORTED_MEDIA_TYPE', `content-encoding "${name}" is not supported (gzip is)`));
  }
  try {
    // One byte over the cap lets us tell "exactly at the cap" from "over it".
    const out = gunzipSync(raw, { maxOutputLength: MAX_BODY_BYTES + 1 });
    if (out.length > MAX_BODY_BYTES) return fail(tooLarge(MAX_BODY_BYTES));
    return ok(out);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') return fail(tooLarge(MAX_BODY_BYTES));
    return fail(badRequest(`request body is not valid gzip: ${(error as Error).message}`));
  }
}
