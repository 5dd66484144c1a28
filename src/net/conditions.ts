import { assert } from '../kernel/index.ts';

/** The network's random fault defaults; a scenario may change them mid-run. */
export interface NetworkConditions {
  latency: { min: number; max: number };
  /** Probability that a message is lost. */
  drop: number;
  /** Probability that a message is delivered twice. */
  duplicate: number;
  /** If false, each link (from → to) delivers in send order. */
  reorder: boolean;
}

export const defaultConditions: NetworkConditions = {
  latency: { min: 20, max: 150 },
  drop: 0,
  duplicate: 0,
  reorder: true,
};

export function checkConditions(c: NetworkConditions): void {
  assert(Number.isInteger(c.latency.min) && c.latency.min >= 0, `latency.min must be a non-negative integer, got ${c.latency.min}`);
  assert(Number.isInteger(c.latency.max) && c.latency.max >= c.latency.min, `latency.max must be an integer >= min, got ${c.latency.max}`);
  assert(c.drop >= 0 && c.drop <= 1, `drop must be a probability, got ${c.drop}`);
  assert(c.duplicate >= 0 && c.duplicate <= 1, `duplicate must be a probability, got ${c.duplicate}`);
}

/**
 * A targeted drop: the next `count` messages from `from` to `to` whose request matches
 * `match` ("METHOD /path-prefix" or "*") are lost. On a reply, `match` looks at the request
 * it answers. Targeted drops take precedence over random faults.
 */
export interface DropRule {
  from?: string;
  to?: string;
  match: string;
  count: number;
}

/** A drop rule with its pattern parsed once. */
export class ActiveDropRule {
  remaining: number;
  private readonly method: string | null;
  private readonly pathPrefix: string;

  constructor(readonly rule: DropRule) {
    assert(Number.isInteger(rule.count) && rule.count > 0, `drop rule count must be a positive integer, got ${rule.count}`);
    this.remaining = rule.count;
    const match = rule.match.trim();
    if (match === '*') {
      this.method = null;
      this.pathPrefix = '';
    } else {
      const [method, prefix] = match.split(/\s+/, 2);
      assert(method !== undefined && prefix !== undefined && prefix.startsWith('/'), `drop rule match must be "METHOD /path-prefix" or "*", got "${rule.match}"`);
      this.method = method.toUpperCase();
      this.pathPrefix = prefix;
    }
  }

  matches(from: string, to: string, method: string, path: string): boolean {
    return (
      this.remaining > 0 &&
      (this.rule.from === undefined || this.rule.from === from) &&
      (this.rule.to === undefined || this.rule.to === to) &&
      (this.method === null || this.method === method) &&
      path.startsWith(this.pathPrefix)
    );
  }
}
