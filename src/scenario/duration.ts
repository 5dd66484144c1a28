/**
 * Durations in scenario files: an integer number of milliseconds, or a decimal number
 * with a unit (`250ms`, `5s`, `1.5s`, `10m`, `1h`), or several parts from the largest unit
 * down (`1h30m`, `2m15s`, `1s250ms`; a decimal only in the last part), optionally negative
 * where allowed. Arithmetic is exact (BigInt), so `1.1s` is 1100 ms and never
 * 1100.0000000000002.
 */

const UNIT_MS = { ms: 1n, s: 1_000n, m: 60_000n, h: 3_600_000n } as const;
type Unit = keyof typeof UNIT_MS;

/** Units from the largest down: the order parts of a compound duration must follow. */
const UNITS: readonly Unit[] = ['h', 'm', 's', 'ms'];
const DURATION = /^(-)?((?:\d+(?:h|m|s|ms))*)(\d+)(?:\.(\d+))?(ms|s|m|h)$/;
const PART = /(\d+)(ms|s|m|h)/g;

export type DurationResult = { ok: true; ms: number } | { ok: false; message: string };

export interface DurationOptions {
  /** Accept negative durations (clock skew). */
  allowNegative?: boolean;
}

export const DURATION_HINT = 'an integer of ms, or a string like 250ms, 5s, 1.5s, 10m, 1h, 1h30m';

/** Parses a duration; a failure's message is a predicate ("must not be negative, got -5s") to put after the field's name. */
export function parseDuration(input: unknown, options: DurationOptions = {}): DurationResult {
  let ms: number;
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) return fail(`must be a duration (${DURATION_HINT}), got ${input}`);
    if (!Number.isInteger(input)) return fail(`must be a whole number of ms, got ${input}`);
    if (!Number.isSafeInteger(input)) return fail(`is too large: ${input}`);
    ms = input === 0 ? 0 : input;
  } else if (typeof input === 'string') {
    const parsed = parseDurationString(input.trim());
    if (!parsed.ok) return parsed;
    ms = parsed.ms;
  } else {
    return fail(`must be a duration (${DURATION_HINT}), got ${describe(input)}`);
  }
  if (ms < 0 && !options.allowNegative) return fail(`must not be negative, got ${String(input)}`);
  return { ok: true, ms };
}

function parseDurationString(text: string): DurationResult {
  const m = DURATION.exec(text);
  if (m === null) return fail(`must be a duration (${DURATION_HINT}), got ${JSON.stringify(text)}`);
  const [, sign, leading = '', whole = '0', fraction = '', unit] = m;
  // The parts before the last are whole numbers; every unit is smaller than the one before.
  let total = 0n;
  let previous = -1;
  for (const [, amount, part] of [...leading.matchAll(PART), [leading, '0', unit]]) {
    const rank = UNITS.indexOf(part as Unit);
    if (rank <= previous) return fail(`must be a duration (${DURATION_HINT}), with its parts from the largest unit down, got ${JSON.stringify(text)}`);
    previous = rank;
    total += BigInt(amount!) * UNIT_MS[part as Unit];
  }
  const scale = 10n ** BigInt(fraction.length);
  const numerator = total * scale + (BigInt(whole) * scale + BigInt(fraction || '0')) * UNIT_MS[unit as Unit];
  if (numerator % scale !== 0n) return fail(`must be a whole number of ms, got ${JSON.stringify(text)}`);
  const magnitude = numerator / scale;
  if (magnitude > BigInt(Number.MAX_SAFE_INTEGER)) return fail(`is too large: ${JSON.stringify(text)}`);
  const ms = Number(magnitude);
  return { ok: true, ms: sign === '-' && ms !== 0 ? -ms : ms };
}

/** The shortest exact spelling: `1h`, `90s`, `-90s`, `1500ms`, `0s`. */
export function formatDuration(ms: number): string {
  if (!Number.isSafeInteger(ms)) throw new RangeError(`not a whole number of ms: ${ms}`);
  if (ms === 0) return '0s';
  const sign = ms < 0 ? '-' : '';
  const abs = Math.abs(ms);
  for (const unit of ['h', 'm', 's'] as const) {
    const size = Number(UNIT_MS[unit]);
    if (abs % size === 0) return `${sign}${abs / size}${unit}`;
  }
  return `${sign}${abs}ms`;
}

function fail(message: string): DurationResult {
  return { ok: false, message };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return JSON.stringify(value) ?? String(value);
}
