import { apiError, notFound, type ApiError } from '../errors.ts';
import { runBatch } from './batch.ts';
import type { Handler } from './context.ts';
import { getStatus, headStatus } from './status.ts';
import { createTask, deleteTask, getTask, listTasks, updateTask } from './tasks.ts';

interface Route {
  /** Captures the path's parameters, e.g. the task id. */
  pattern: RegExp;
  methods: Record<string, Handler>;
}

const routes: Route[] = [
  { pattern: /^\/v1\/tasks$/, methods: { GET: listTasks, POST: createTask } },
  { pattern: /^\/v1\/tasks\/([^/]+)$/, methods: { GET: getTask, PUT: updateTask, DELETE: deleteTask } },
  { pattern: /^\/v1\/sync\/batch$/, methods: { POST: runBatch } },
  { pattern: /^\/v1\/sync\/status$/, methods: { GET: getStatus, HEAD: headStatus } },
];

export interface RouteMatch {
  handler: Handler;
  params: string[];
}

/** Every method the API has; any other is 405 whatever the path (SPEC §4 "Limits"). */
const API_METHODS = new Set(routes.flatMap((route) => Object.keys(route.methods)));

/**
 * Finds the handler of a path (without query): 405 for a method the API does not have or
 * a known path with the wrong method, 404 for an unknown path.
 */
export function matchRoute(method: string, pathname: string): RouteMatch | ApiError {
  if (!API_METHODS.has(method)) {
    const allow = [...API_METHODS].join(', ');
    return apiError(405, 'METHOD_NOT_ALLOWED', `the API has no method ${method.slice(0, 32)} (it has: ${allow})`, undefined, { allow });
  }
  for (const route of routes) {
    const found = route.pattern.exec(pathname);
    if (found === null) continue;
    const handler = Object.hasOwn(route.methods, method) ? route.methods[method] : undefined;
    if (handler === undefined) {
      const allow = Object.keys(route.methods).join(', ');
      return apiError(405, 'METHOD_NOT_ALLOWED', `${method} is not allowed on ${pathname} (allowed: ${allow})`, undefined, {
        allow,
      });
    }
    const params = found.slice(1).map(decodeSegment);
    if (params.some((p) => p === null)) return notFound(`no resource at ${pathname}`);
    return { handler, params: params.map((p) => p ?? '') };
  }
  return notFound(`no route for ${method} ${pathname}`);
}

function decodeSegment(segment: string | undefined): string | null {
  try {
    return decodeURIComponent(segment ?? '');
  } catch {
    return null;
  }
}
