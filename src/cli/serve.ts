import { ListenError, startHttpServer, type RunningHttpServer } from '../server/listen.ts';
import { SyncServer } from '../server/server.ts';
import { limitFlags, limitHelp, parseLimits } from './serve-limits.ts';
import { integerOption, parseCommandArgs, UsageError, type Command } from './usage.ts';

const DEFAULT_PORT = 8080;
const DEFAULT_USER = { name: 'demo', token: 'demo-token' };

const help = `usage: syncsim serve [--port N] [--host H] [--user name:token ...] [--max-tasks N] [--max-bytes N] ...

Runs the sync server model as a real HTTP server (the API of SPEC §4) until Ctrl-C.

options:
  --port N            port to listen on (default ${DEFAULT_PORT}; 0 picks a free one)
  --host H            address to bind (default 127.0.0.1)
  --user name:token   a user and its bearer token; repeat for more users
                      (default: one user "${DEFAULT_USER.name}" with token "${DEFAULT_USER.token}")
${limitHelp}

exit code: 0 stopped by Ctrl-C (or SIGTERM), 2 bad usage or a port that cannot be bound`;

export const serveCommand: Command = {
  summary: 'the server model as a real HTTP server',
  help,
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, {
      port: { type: 'string' },
      host: { type: 'string' },
      user: { type: 'string', multiple: true },
      ...limitFlags,
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0] ?? ''}"`);
    const port = integerOption('port', values.port, DEFAULT_PORT);
    if (port > 65535) throw new UsageError(`--port must be at most 65535, got ${port}`);
    const host = values.host ?? '127.0.0.1';
    const users = parseUsers(values.user ?? []);
    const { limits, headersTimeoutMs, requestTimeoutMs } = parseLimits(values);

    const server = new SyncServer({ users, limits });
    // The real clock enters the server model here and nowhere else.
    let running: RunningHttpServer;
    try {
      running = await startHttpServer(server, { port, host, now: () => Date.now(), headersTimeoutMs, requestTimeoutMs });
    } catch (error) {
      if (!(error instanceof ListenError)) throw error;
      console.error(`syncsim serve: ${error.message}`);
      return 2;
    }
    console.log(`syncsim serve listening on http://${host.includes(':') ? `[${host}]` : host}:${running.port}`);
    for (const { name, token } of users) console.log(`  user ${name}  token ${token}`);
    console.log('Press Ctrl-C to stop.');

    await untilSignal();
    await running.close();
    console.log('syncsim serve stopped');
    return 0;
  },
};

/** Parses `name:token` pairs; the token is everything after the first colon. */
export function parseUsers(specs: string[]): Array<{ name: string; token: string }> {
  if (specs.length === 0) return [DEFAULT_USER];
  const names = new Set<string>();
  const tokens = new Set<string>();
  return specs.map((spec) => {
    const colon = spec.indexOf(':');
    const name = colon < 0 ? '' : spec.slice(0, colon);
    const token = colon < 0 ? '' : spec.slice(colon + 1);
    if (!/^[A-Za-z0-9_.-]+$/.test(name) || !/^\S+$/.test(token)) {
      throw new UsageError(`--user must be name:token (letters, digits, _ . - in the name; no spaces), got "${spec}"`);
    }
    if (names.has(name)) throw new UsageError(`--user ${name} is given twice`);
    if (tokens.has(token)) throw new UsageError(`--user ${name}: token "${token}" is already used by another user`);
    names.add(name);
    tokens.add(token);
    return { name, token };
  });
}

function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
