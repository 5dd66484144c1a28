import { badRequest, type ApiError } from './errors.ts';
import { parseInstant } from './wire.ts';

/**
 * Reads typed fields from a parsed JSON object and keeps the first mistake, named by its
 * path ("operations[2].title"), so a parser reads every field and checks once at the end.
 */
export class FieldReader {
  error: ApiError | null = null;

  private constructor(
    private readonly object: Record<string, unknown>,
    private readonly where: string,
  ) {}

  /** A reader over `value`, or a 400 when it is not a JSON object. */
  static of(value: unknown, where: string): FieldReader | ApiError {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return badRequest(`${where} must be a JSON object`);
    }
    return new FieldReader(value as Record<string, unknown>, where);
  }

  string(name: string): string {
    const value = this.string_(name, true);
    return value ?? '';
  }

  optionalString(name: string): string | undefined {
    return this.string_(name, false);
  }

  optionalBoolean(name: string): boolean | undefined {
    const value = this.get(name);
    if (value === undefined || typeof value === 'boolean') return value;
    return this.wrong(name, 'a boolean');
  }

  /** An optional integer in [min, max]. */
  optionalInteger(name: string, min: number, max: number): number | undefined {
    const value = this.get(name);
    if (value === undefined) return undefined;
    if (typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max) return value;
    return this.wrong(name, `an integer from ${min} to ${max}`);
  }

  /** An optional ISO-8601 date-time (RFC 3339), as ms since the epoch. */
  optionalInstant(name: string): number | undefined {
    const text = this.optionalString(name);
    if (text === undefined) return undefined;
    return parseInstant(text) ?? this.wrong(name, 'an ISO-8601 date-time such as "2026-01-13T15:30:00Z"');
  }

  /** Records a mistake the reader's own checks cannot see (two fields that disagree). */
  reject(name: string, expected: string): void {
    this.wrong(name, expected);
  }

  array(name: string): unknown[] {
    const value = this.get(name);
    if (Array.isArray(value)) return value;
    return this.wrong(name, 'an array') ?? [];
  }

  /** `null` and absence both mean "not sent". */
  private get(name: string): unknown {
    const value = Object.hasOwn(this.object, name) ? this.object[name] : undefined;
    return value === null ? undefined : value;
  }

  private string_(name: string, required: boolean): string | undefined {
    const value = this.get(name);
    if (typeof value === 'string') return value;
    if (value === undefined && !required) return undefined;
    return this.wrong(name, 'a string');
  }

  private wrong(name: string, expected: string): undefined {
    this.error ??= badRequest(`${this.where}.${name} must be ${expected}`);
    return undefined;
  }
}
