import { randomUUID } from 'node:crypto';
import { ApiClient, TransportError, excerpt, type Exchange } from './http-client.ts';
import { NotApplicable, RuleViolation, type Evidence, type RuleContext, type ServerRule } from './rule.ts';
import { authRules } from './rules/auth.ts';
import { batchRules } from './rules/batch.ts';
import { cursorRules } from './rules/cursor.ts';
import { designRules } from './rules/design.ts';
import { errorRules } from './rules/errors.ts';
import { gzipRules } from './rules/gzip.ts';
import { idempotencyRules } from './rules/idempotency.ts';
import { isolationRules } from './rules/isolation.ts';
import { limitRules } from './rules/limits.ts';
import { paginationRules } from './rules/pagination.ts';
import { slowRequestRules } from './rules/slow.ts';
import { statusRules } from './rules/status.ts';
import { writeRules } from './rules/writes.ts';
import { UserApi } from './user-api.ts';

/**
 * The API conformance suite of SPEC §4 against a running server: every rule in turn, each
 * on tasks of its own (unique clientIds), so the server's earlier state does not matter.
 * This is not a simulated run: it reads the real clock and real randomness (the run id).
 */

/** Every rule, in the order the report lists them; the two that judge what the others met come last. */
export const SERVER_RULES: readonly ServerRule[] = [
  ...authRules,
  ...isolationRules,
  ...idempotencyRules,
  ...writeRules,
  ...paginationRules,
  ...cursorRules,
  ...batchRules,
  ...statusRules,
  ...gzipRules,
  ...errorRules,
  ...designRules,
  ...slowRequestRules,
  ...limitRules,
];

export type RuleVerdict = 'held' | 'violated' | 'not applicable';

export interface RuleResult {
  name: string;
  says: string;
  dialect: ServerRule['dialect'];
  verdict: RuleVerdict;
  /** Why it was violated or not applicable. */
  message?: string;
  evidence?: Evidence;
  ms: number;
}

export interface ServerSuiteOptions {
  /** The server's base URL, e.g. http://127.0.0.1:8080 (a path prefix is kept). */
  url: string;
  /** Two different users' bearer tokens: the first owns the tasks, the second must never see them. */
  tokens: readonly [string, string];
  /** Per request (default 10 s). */
  requestTimeoutMs?: number;
  /** The whole suite (default 120 s); rules not finished by then are violated. */
  deadlineMs?: number;
  /** The server's timeout for a request's headers: given, `limits/slow-request` is judged (it waits that long). */
  slowRequestMs?: number;
  /** Run only the rules with these names (for tests and for narrowing a failure down). */
  only?: readonly string[];
}

export interface ServerSuiteResult {
  url: string;
  runId: string;
  rules: RuleResult[];
  ok: boolean;
  wallMs: number;
}

/** The server cannot be judged at all: unreachable, or the tokens are not two users'. Exit 2, not a verdict. */
export class ServerSuiteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ServerSuiteError';
  }
}

export async function runServerSuite(options: ServerSuiteOptions): Promise<ServerSuiteResult> {
  const started = Date.now();
  const base = parseUrl(options.url);
  const [tokenA, tokenB] = options.tokens;
  if (tokenA === tokenB) throw new ServerSuiteError('give two different tokens (two users): the isolation rules need a second user');
  const deadlineMs = options.deadlineMs ?? 120_000;
  const client = new ApiClient({ baseUrl: base, timeoutMs: options.requestTimeoutMs ?? 10_000, deadline: started + deadlineMs, now: Date.now, retries: 3 });
  const runId = randomUUID().slice(0, 8);
  let counter = 0;
  const ctx: RuleContext = {
    a: new UserApi('A', tokenA, client),
    b: new UserApi('B', tokenB, client),
    unique: (label) => `conform-${runId}-${label}-${++counter}`,
    client,
    slowRequestMs: options.slowRequestMs,
  };
  await preflight(ctx);
  const rules = options.only === undefined ? SERVER_RULES : selectRules(options.only);
  const results: RuleResult[] = [];
  for (const rule of rules) {
    if (Date.now() >= started + deadlineMs) {
      results.push({ ...describe(rule), verdict: 'violated', message: `not run: the suite's deadline of ${deadlineMs / 1000} s passed`, ms: 0 });
      continue;
    }
    results.push(await runRule(rule, ctx));
  }
  return { url: base.href, runId, rules: results, ok: results.every((r) => r.verdict !== 'violated'), wallMs: Date.now() - started };
}

function selectRules(names: readonly string[]): ServerRule[] {
  const unknown = names.filter((n) => !SERVER_RULES.some((r) => r.name === n));
  if (unknown.length > 0) throw new ServerSuiteError(`unknown rule ${unknown.join(', ')}; the rules are ${SERVER_RULES.map((r) => r.name).join(', ')}`);
  return SERVER_RULES.filter((r) => names.includes(r.name));
}

async function runRule(rule: ServerRule, ctx: RuleContext): Promise<RuleResult> {
  const start = Date.now();
  const done = (verdict: RuleVerdict, rest: Partial<RuleResult> = {}): RuleResult => ({ ...describe(rule), verdict, ...rest, ms: Date.now() - start });
  try {
    await rule.run(ctx);
    return done('held');
  } catch (error) {
    if (error instanceof NotApplicable) return done('not applicable', { message: error.message });
    if (error instanceof RuleViolation) return done('violated', { message: error.message, ...(error.exchange && { evidence: evidenceOf(error.exchange) }) });
    if (error instanceof TransportError) return done('violated', { message: `no reply: ${error.message}`, evidence: { request: error.request } });
    const message = error instanceof Error ? error.message : String(error);
    return done('violated', { message: `the rule could not read a reply: ${message}` });
  }
}

const describe = (rule: ServerRule) => ({ name: rule.name, says: rule.says, dialect: rule.dialect });

function evidenceOf(exchange: Exchange): Evidence {
  return { request: exchange.request, status: exchange.status, responseExcerpt: excerpt(exchange.text) };
}

/** Both tokens reach the server and are accepted; anything else is the caller's to fix, not a verdict. */
async function preflight(ctx: RuleContext): Promise<void> {
  for (const user of [ctx.a, ctx.b]) {
    let reply: Exchange;
    try {
      reply = await user.send({ method: 'GET', path: '/v1/sync/status' });
    } catch (error) {
      if (!(error instanceof TransportError)) throw error;
      throw new ServerSuiteError(`cannot reach the server at ${ctx.client.options.baseUrl.href}: ${error.message}`);
    }
    if (reply.status === 401 || reply.status === 403) {
      throw new ServerSuiteError(`the server refused token ${user.label === 'A' ? 1 : 2} (${reply.status} on GET /v1/sync/status): give two valid users' tokens with --token`);
    }
  }
}

function parseUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ServerSuiteError(`--server must be a URL such as http://127.0.0.1:8080, got "${text}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ServerSuiteError(`--server must be an http:// or https:// URL, got "${text}"`);
  return url;
}
