import type { RemoteTarget } from '../remote/index.ts';
import { UsageError } from './usage.ts';

/** The options of `run` and `fuzz` that point the devices at a real server (SPEC §7). */
export const serverOptions = {
  server: { type: 'string' },
  token: { type: 'string', multiple: true },
  reset: { type: 'string' },
} as const;

export const serverHelp = [
  '  --server URL  the devices talk to this real server instead of the server model',
  '                (virtual time stands still while a request is there)',
  '  --token T     with --server: the bearer token of user demo; name:T for another user;',
  '                repeat for several users',
  '  --reset CMD   with --server: a shell command run before each run that gives the',
  '                server a fresh state, returning once it is ready (exit 0)',
];

const USER_NAME = /^[A-Za-z0-9_.-]+$/;

/** The real server the options name, or undefined without --server. */
export function serverTarget(values: { server?: string; token?: string[]; reset?: string }): RemoteTarget | undefined {
  if (values.server === undefined) {
    if (values.token !== undefined || values.reset !== undefined) throw new UsageError('--token and --reset go with --server URL');
    return undefined;
  }
  const tokens: Record<string, string> = {};
  for (const spec of values.token ?? []) {
    const colon = spec.indexOf(':');
    const named = colon > 0 && USER_NAME.test(spec.slice(0, colon));
    const [user, token] = named ? [spec.slice(0, colon), spec.slice(colon + 1)] : ['demo', spec];
    if (token === '') throw new UsageError(`--token "${spec}": empty token`);
    if (tokens[user] !== undefined) throw new UsageError(`--token: two tokens for user "${user}"`);
    tokens[user] = token;
  }
  if (Object.keys(tokens).length === 0) throw new UsageError('--server needs --token T (the bearer token of user demo)');
  return { url: values.server, tokens, ...(values.reset !== undefined && { reset: values.reset }) };
}
