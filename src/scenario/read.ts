import { DURATION_HINT, parseDuration, type DurationOptions } from './duration.ts';
import type { Issues, Pos } from './errors.ts';
import { SCENARIO_LIMITS } from './limits.ts';
import type { LEntry, LMap, LNode, LSeq } from './located.ts';

/**
 * Small readers over located nodes. Each one either returns a value or reports one issue
 * at the node and returns undefined, so a caller can go on and find the next problem.
 */
export class Reader {
  constructor(readonly issues: Issues) {}

  /** A mapping whose keys are all in `allowed`; unknown keys are reported, the rest returned by name. */
  map(node: LNode, what: string, allowed: readonly string[]): Fields | undefined {
    if (node.type !== 'map') {
      this.issues.add(node.pos, `${what} must be a mapping, got ${kindOf(node)}`);
      return undefined;
    }
    const byKey = new Map<string, LEntry>();
    for (const entry of node.entries) {
      if (!allowed.includes(entry.key)) {
        this.issues.add(entry.keyPos, `unknown key '${entry.key}' in ${what}; expected one of ${allowed.join(', ')}`);
      } else byKey.set(entry.key, entry);
    }
    return new Fields(node, what, byKey, this.issues);
  }

  seq(node: LNode, what: string): LSeq | undefined {
    if (node.type === 'seq') return node;
    this.issues.add(node.pos, `${what} must be a list, got ${kindOf(node)}`);
    return undefined;
  }

  string(node: LNode, what: string): string | undefined {
    if (node.type === 'scalar' && typeof node.value === 'string') return node.value;
    this.issues.add(node.pos, `${what} must be a string, got ${kindOf(node)}`);
    return undefined;
  }

  /** A string matching `pattern`; `shape` describes it in the message. */
  name(node: LNode, what: string, pattern: RegExp, shape: string): string | undefined {
    const value = this.string(node, what);
    if (value === undefined) return undefined;
    if (pattern.test(value)) return value;
    this.issues.add(node.pos, `${what} ${JSON.stringify(value)} must match ${shape}`);
    return undefined;
  }

  oneOf<T extends string>(node: LNode, what: string, options: readonly T[]): T | undefined {
    if (node.type === 'scalar' && typeof node.value === 'string' && (options as readonly string[]).includes(node.value)) return node.value as T;
    this.issues.add(node.pos, `${what} must be one of ${options.join(', ')}, got ${kindOf(node)}`);
    return undefined;
  }

  boolean(node: LNode, what: string): boolean | undefined {
    if (node.type === 'scalar' && typeof node.value === 'boolean') return node.value;
    this.issues.add(node.pos, `${what} must be true or false, got ${kindOf(node)}`);
    return undefined;
  }

  /** A flag step such as `heal: true`: only `true` means anything. */
  isTrue(node: LNode, what: string): boolean {
    if (node.type === 'scalar' && node.value === true) return true;
    this.issues.add(node.pos, `${what} must be true, got ${kindOf(node)}`);
    return false;
  }

  number(node: LNode, what: string, check: { min?: number; max?: number; integer?: boolean; positive?: boolean; noun?: string } = {}): number | undefined {
    const value = node.type === 'scalar' && typeof node.value === 'number' && Number.isFinite(node.value) ? node.value : undefined;
    const kind = check.noun ?? (check.integer ? 'an integer' : 'a number');
    const range = check.positive
      ? ' > 0'
      : check.min !== undefined && check.max !== undefined
        ? ` in [${check.min}, ${check.max}]`
        : check.min !== undefined
          ? ` >= ${check.min}`
          : '';
    const fits =
      value !== undefined &&
      (!check.integer || Number.isSafeInteger(value)) &&
      (!check.positive || value > 0) &&
      (check.min === undefined || value >= check.min) &&
      (check.max === undefined || value <= check.max);
    if (fits) return value;
    this.issues.add(node.pos, `${what} must be ${kind}${range}, got ${kindOf(node)}`);
    return undefined;
  }

  duration(node: LNode, what: string, options: DurationOptions & { positive?: boolean } = {}): number | undefined {
    if (node.type !== 'scalar' || node.value === null || typeof node.value === 'boolean') {
      this.issues.add(node.pos, `${what} must be a duration (${DURATION_HINT}), got ${kindOf(node)}`);
      return undefined;
    }
    const parsed = parseDuration(node.value, options);
    if (!parsed.ok) {
      this.issues.add(node.pos, `${what} ${parsed.message}`);
      return undefined;
    }
    if (options.positive && parsed.ms <= 0) {
      this.issues.add(node.pos, `${what} must be a positive duration, got ${kindOf(node)}`);
      return undefined;
    }
    // Virtual time costs real time (timers fire, engines poll): a bound keeps every run finite.
    if (Math.abs(parsed.ms) > SCENARIO_LIMITS.durationMs) {
      this.issues.add(node.pos, `${what} is at most 30 days (${SCENARIO_LIMITS.durationMs} ms), got ${kindOf(node)}`);
      return undefined;
    }
    return parsed.ms;
  }
}

/** The known keys of one mapping. */
export class Fields {
  constructor(
    readonly node: LMap,
    readonly what: string,
    private readonly byKey: Map<string, LEntry>,
    private readonly issues: Issues,
  ) {}

  get pos(): Pos {
    return this.node.pos;
  }

  get keys(): string[] {
    return [...this.byKey.keys()];
  }

  has(key: string): boolean {
    return this.byKey.has(key);
  }

  entry(key: string): LEntry | undefined {
    return this.byKey.get(key);
  }

  get(key: string): LNode | undefined {
    return this.byKey.get(key)?.value;
  }

  /** The value, or an issue at the mapping saying the key is missing. */
  required(key: string): LNode | undefined {
    const value = this.get(key);
    if (value === undefined) this.issues.add(this.node.pos, `${this.what} is missing '${key}'`);
    return value;
  }
}

/** Where an earlier node is, for "first at 3:9". */
export function at(pos: Pos): string {
  return `${pos.line}:${pos.column}`;
}

/** How a value reads in a message: `"abc"`, `12`, `null`, `a mapping`, `a list`. */
export function kindOf(node: LNode): string {
  if (node.type === 'map') return 'a mapping';
  if (node.type === 'seq') return 'a list';
  if (node.value === null) return 'nothing';
  return typeof node.value === 'string' ? JSON.stringify(node.value) : String(node.value);
}
