import type { ApiClient, Exchange } from './http-client.ts';
import type { UserApi } from './user-api.ts';

/**
 * One rule of SPEC §4 as a named test over real HTTP. A rule passes by returning, fails by
 * throwing a RuleViolation that quotes the request and the reply, and says it cannot be
 * judged against this server by throwing NotApplicable.
 */
export interface ServerRule {
  /** `group/name`, e.g. `idempotency/key-reuse-422`. */
  name: string;
  /** What SPEC §4 says, in a line: the report's description of the rule. */
  says: string;
  /** `design` for the design document's wire format, `syncsim` for syncsim's own, `both` for rules of the API itself. */
  dialect: 'both' | 'design' | 'syncsim';
  run(ctx: RuleContext): Promise<void>;
}

export interface RuleContext {
  /** The first user, who owns the tasks. */
  a: UserApi;
  /** The second user, who must never see or change them. */
  b: UserApi;
  /** A clientId (or title) no earlier run of the suite used, so a long-lived server's state does not matter. */
  unique(label: string): string;
  /** The client both users share: what it met along the way (429/503, quota replies). */
  client: ApiClient;
  /** The server's header timeout, when the caller gave it: only then is a slow request judged. */
  slowRequestMs: number | undefined;
}

/** What a failure shows: the rule's message and, when a request caused it, the request and its reply. */
export interface Evidence {
  request?: Exchange['request'];
  status?: number;
  responseExcerpt?: string;
}

export class RuleViolation extends Error {
  constructor(message: string, readonly exchange?: Exchange) {
    super(message);
    this.name = 'RuleViolation';
  }
}

export class NotApplicable extends Error {
  constructor(why: string) {
    super(why);
    this.name = 'NotApplicable';
  }
}

export function violation(message: string, exchange?: Exchange): never {
  throw new RuleViolation(message, exchange);
}

export function notApplicable(why: string): never {
  throw new NotApplicable(why);
}

/** `cond` or a violation quoting the exchange. */
export function expectThat(cond: boolean, message: string, exchange?: Exchange): asserts cond {
  if (!cond) violation(message, exchange);
}

/** The reply's status is one of `statuses`. */
export function expectStatus(exchange: Exchange, statuses: number | readonly number[], what: string): void {
  const allowed = typeof statuses === 'number' ? [statuses] : statuses;
  if (!allowed.includes(exchange.status)) {
    violation(`${what}: expected ${allowed.join(' or ')}, got ${exchange.status}`, exchange);
  }
}

/** The reply is `{ error: { code, message, retryable } }` with those types (and the code, when given). */
export function expectErrorShape(exchange: Exchange, what: string, code?: string): Record<string, unknown> {
  const error = objectAt(exchange.json, 'error');
  expectThat(error !== undefined, `${what}: the body is not { "error": { code, message, retryable } }`, exchange);
  expectThat(typeof error['code'] === 'string', `${what}: error.code is not a string`, exchange);
  expectThat(typeof error['message'] === 'string', `${what}: error.message is not a string`, exchange);
  expectThat(typeof error['retryable'] === 'boolean', `${what}: error.retryable is not a boolean`, exchange);
  if (code !== undefined) expectThat(error['code'] === code, `${what}: expected error.code ${code}, got ${JSON.stringify(error['code'])}`, exchange);
  return error;
}

/** `value[key]` when it is a JSON object. */
export function objectAt(value: unknown, key: string): Record<string, unknown> | undefined {
  if (!isObject(value)) return undefined;
  const inner = value[key];
  return isObject(inner) ? inner : undefined;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
