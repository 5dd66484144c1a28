/**
 * structuredClone for the values engines store, fast: fake-indexeddb clones every value it
 * puts and every value it reads, and Node's structuredClone (a full serialize/deserialize)
 * costs several µs even for a small row. Plain data — primitives, arrays and objects whose
 * prototype is Object's or null — is copied here, key by key, exactly as structuredClone
 * would copy it; anything else (a Date, a Map, a class instance, a sparse array, deep
 * nesting or a cycle, something uncloneable) goes to the real structuredClone, so results
 * and errors stay the standard's.
 */

export const realStructuredClone = globalThis.structuredClone;

/** Nesting beyond this goes to the real clone (which handles cycles; this one does not look for them). */
const MAX_DEPTH = 64;

/** Thrown inside `copy` when the value is not plain data: the real clone takes over. */
const NOT_PLAIN = Symbol('not plain');

function copy(value: unknown, depth: number): unknown {
  if (typeof value !== 'object' || value === null) {
    if (typeof value === 'function' || typeof value === 'symbol') throw NOT_PLAIN;
    return value;
  }
  if (depth > MAX_DEPTH) throw NOT_PLAIN;
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype) throw NOT_PLAIN;
    const out = new Array<unknown>(value.length);
    let own = 0;
    for (const key in value) {
      const index = Number(key);
      // Holes and extra properties are cloned differently by the standard: leave them to it.
      if (!Number.isInteger(index) || String(index) !== key) throw NOT_PLAIN;
      own++;
    }
    if (own !== value.length) throw NOT_PLAIN;
    for (let i = 0; i < value.length; i++) out[i] = copy(value[i], depth + 1);
    return out;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) throw NOT_PLAIN;
  const out: Record<string, unknown> = {};
  for (const key in value) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
    if (key === '__proto__') throw NOT_PLAIN; // assigning it would set the prototype, not a property
    out[key] = copy((value as Record<string, unknown>)[key], depth + 1);
  }
  return out;
}

export function plainStructuredClone<T>(value: T, options?: StructuredSerializeOptions): T {
  if (options !== undefined) return realStructuredClone(value, options);
  try {
    return copy(value, 0) as T;
  } catch (error) {
    if (error !== NOT_PLAIN) throw error;
    return realStructuredClone(value);
  }
}
