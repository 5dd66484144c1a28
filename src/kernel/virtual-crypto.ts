import { createHash } from 'node:crypto';

/**
 * The crypto a simulated node gets: random bytes from its seeded stream, and digests
 * computed synchronously (the real `crypto.subtle.digest` completes on libuv's thread pool,
 * in real time, so its promise would settle at a different point of each run).
 */

/** Fills an integer typed array (as `crypto.getRandomValues`) with bytes of `random`. */
export function fillRandom<T extends ArrayBufferView>(view: T, random: () => number): T {
  if (!ArrayBuffer.isView(view) || view instanceof Float32Array || view instanceof Float64Array || view instanceof DataView) {
    throw new TypeError('getRandomValues needs an integer TypedArray');
  }
  // The standard's quota: at most 65,536 bytes per call.
  if (view.byteLength > 65_536) throw new RangeError(`getRandomValues: ${view.byteLength} bytes asked, at most 65536`);
  const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(random() * 256);
  return view;
}

/** A version-4 UUID from `random`, as `crypto.randomUUID()` formats it. */
export function randomUuid(random: () => number): string {
  const bytes = fillRandom(new Uint8Array(16), random);
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const DIGESTS: Record<string, string> = { 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };

/** `crypto.subtle.digest`, computed now: the promise is already settled when it is returned. */
export function digestNow(algorithm: unknown, data: unknown): Promise<ArrayBuffer> {
  const name = typeof algorithm === 'string' ? algorithm : (algorithm as { name?: unknown } | null)?.name;
  const hash = typeof name === 'string' ? DIGESTS[name.toUpperCase()] : undefined;
  if (hash === undefined) return Promise.reject(new DOMException(`Unrecognized algorithm name: ${String(name)}`, 'NotSupportedError'));
  let bytes: Uint8Array;
  if (data instanceof ArrayBuffer) bytes = new Uint8Array(data);
  else if (ArrayBuffer.isView(data)) bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  else return Promise.reject(new TypeError('digest: data must be an ArrayBuffer or a view of one'));
  const out = createHash(hash).update(bytes).digest();
  return Promise.resolve(out.buffer.slice(out.byteOffset, out.byteOffset + out.byteLength) as ArrayBuffer);
}
