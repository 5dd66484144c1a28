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

/** Finds the handler of a path (without query): 404 for an unknown path, 405 for a known one with the wrong method. */
export function matchRoute(method: string, pathname: string): RouteMatch | ApiError {
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
