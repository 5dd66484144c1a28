import { badRequest, fail, ok, type Result } from '../errors.ts';
import type { HttpRequest } from '../http.ts';
import type { Reply } from '../respond.ts';
import type { ServerState } from '../state.ts';
import type { ServerApplyEvent } from '../types.ts';

/** Everything a route handler may use: the caller is authenticated, the route matched. */
export interface RequestContext {
  request: HttpRequest;
  user: string;
  state: ServerState;
  now: number;
  query: URLSearchParams;
  /** The path's captured segments, decoded, e.g. the task id of /v1/tasks/{id}. */
  params: string[];
  emit(event: ServerApplyEvent): void;
}

export type Handler = (ctx: RequestContext) => Reply;

/** An optional integer query parameter in [min, max], written in plain decimal digits. */
export function integerParam(query: URLSearchParams, name: string, min: number, max: number): Result<number | undefined> {
  const text = query.get(name);
  if (text === null) return ok(undefined);
  const value = /^\d{1,16}$/.test(text) ? Number(text) : Number.NaN;
  if (Number.isSafeInteger(value) && value >= min && value <= max) return ok(value);
  return fail(badRequest(`query parameter ${name} must be an integer from ${min} to ${max}, got "${text}"`));
}
