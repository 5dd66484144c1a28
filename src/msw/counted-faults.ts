import { compileMatch, type RequestLine, type RequestMatch } from './request-match.ts';

/** A fault that hits the next `count` requests matching `match` (default 1), then is spent. */
export interface CountedFault {
  match: RequestMatch;
  /** A positive integer, or Infinity for every matching request until `faults.clear()`. */
  count?: number;
}

interface Rule {
  label: string;
  matches: (request: RequestLine) => boolean;
  remaining: number;
}

/** The pending rules of one kind of fault (lost replies, dropped requests), first added first used. */
export class CountedFaults {
  private rules: Rule[] = [];

  add(fault: CountedFault): void {
    const count = fault.count ?? 1;
    if (!(count === Infinity || (Number.isSafeInteger(count) && count > 0))) {
      throw new TypeError(`syncsim/msw: a fault's count is a positive integer or Infinity, got ${String(count)}`);
    }
    const label = typeof fault.match === 'string' ? fault.match : fault.match.name || '(predicate)';
    this.rules.push({ label, matches: compileMatch(fault.match), remaining: count });
  }

  /** True when a rule hits this request; that rule loses one use, and a spent rule goes. */
  take(request: RequestLine): boolean {
    const index = this.rules.findIndex((rule) => rule.matches(request));
    const rule = this.rules[index];
    if (rule === undefined) return false;
    rule.remaining -= 1;
    if (rule.remaining <= 0) this.rules.splice(index, 1);
    return true;
  }

  /** What is left to happen, for a test's assertions ("the fault was used up"). */
  pending(): Array<{ match: string; remaining: number }> {
    return this.rules.map((rule) => ({ match: rule.label, remaining: rule.remaining }));
  }

  clear(): void {
    this.rules = [];
  }
}
