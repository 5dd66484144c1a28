import { ApiError, notFound } from './errors.mjs';
import { runBatch } from './batch.mjs';
import { getStatus, headStatus } from './status.mjs';
import { createTask, deleteTask, getTask, listTasks, updateTask } from './tasks.mjs';

/** Every method of the API: any other is 405 wherever it is sent. */
const API_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE']);

const routes = [
  { pattern: /^\/v1\/tasks$/, methods: { GET: listTasks, POST: createTask } },
  { pattern: /^\/v1\/tasks\/([^/]+)$/, methods: { GET: getTask, PUT: updateTask, DELETE: deleteTask } },
  { pattern: /^\/v1\/sync\/batch$/, methods: { POST: runBatch } },
  { pattern: /^\/v1\/sync\/status$/, methods: { GET: getStatus, HEAD: headStatus } },
];

/** The handler of a path and its captured, decoded segments; 405 for a method the API lacks, then 404 for an unknown path, 405 for a wrong method. */
export function matchRoute(method, pathname) {
  if (!API_METHODS.has(method)) {
    throw new ApiError(405, 'METHOD_NOT_ALLOWED', `the API has no ${method} method`, {}, { allow: [...API_METHODS].join(', ') });
  }
  for (const route of routes) {
    const found = route.pattern.exec(pathname);
    if (found === null) continue;
    const handler = Object.hasOwn(route.methods, method) ? route.methods[method] : undefined;
    if (handler === undefined) {
      const allow = Object.keys(route.methods).join(', ');
      throw new ApiError(405, 'METHOD_NOT_ALLOWED', `${method} is not allowed on ${pathname} (allowed: ${allow})`, {}, { allow });
    }
    try {
      return { handler, params: found.slice(1).map((segment) => decodeURIComponent(segment)) };
    } catch {
      throw notFound(`no resource at ${pathname}`);
    }
  }
  throw notFound(`no route for ${method} ${pathname}`);
}
