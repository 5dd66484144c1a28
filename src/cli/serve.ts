import { FAULT_PROFILES, isFaultProfileName } from '../server/faults/profiles.ts';
import { ListenError } from '../server/listen.ts';
import { JournalCorruptError } from '../server/persist/frame.ts';
import { JournalLockedError } from '../server/persist/lock.ts';
import { startLiveServer, type LiveServer } from '../serve/live-server.ts';
import { limitFlags, limitHelp, parseLimits } from './serve-limits.ts';
import { integerOption, parseCommandArgs, UsageError, type Command } from './usage.ts';

const DEFAULT_PORT = 8080;
const DEFAULT_USER = { name: 'demo', token: 'demo-token' };

/** Words in lines of at most `width` characters. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) (lines.push(line), (line = word));
    else line = line === '' ? word : `${line} ${word}`;
  }
  return line === '' ? lines : [...lines, line];
}

const help = `usage: syncsim serve [--port N] [--host H] [--user name:token ...]
                     [--data FILE] [--faults PROFILE] [--seed N] [--trace FILE]
                     [--max-tasks N] [--max-bytes N] ...

Runs the sync server model as a real HTTP server (the API of SPEC §4) until Ctrl-C.

options:
  --port N            port to listen on (default ${DEFAULT_PORT}; 0 picks a free one)
  --host H            address to bind (default 127.0.0.1)
  --user name:token   a user and its bearer token; repeat for more users
                      (default: one user "${DEFAULT_USER.name}" with token "${DEFAULT_USER.token}")
  --data FILE         keep the store in FILE, a journal replayed at start: every
                      acknowledged write survives kill -9 and a restart
  --faults PROFILE    inject seeded faults into the traffic: ${Object.keys(FAULT_PROFILES).join(', ')}
  --seed N            the fault seed (default 1): same seed, same requests, same faults
  --trace FILE        record every request, fault and decision as a trace (SPEC §5)
                      that \`syncsim check FILE\` judges; FILE is overwritten
${limitHelp}

profiles:
${Object.values(FAULT_PROFILES).map((p) => `  ${p.name.padEnd(8)} ${wrap(p.summary, 70).join('\n           ')}`).join('\n')}

exit code: 0 stopped by Ctrl-C (or SIGTERM), 1 the data file could not be written,
           2 bad usage, a damaged data file or a port that cannot be bound`;

export const serveCommand: Command = {
  summary: 'the server model as a real HTTP server',
  help,
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, {
      port: { type: 'string' },
      host: { type: 'string' },
      user: { type: 'string', multiple: true },
      data: { type: 'string' },
      faults: { type: 'string' },
      seed: { type: 'string' },
      trace: { type: 'string' },
      ...limitFlags,
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0] ?? ''}"`);
    const port = integerOption('port', values.port, DEFAULT_PORT);
    if (port > 65535) throw new UsageError(`--port must be at most 65535, got ${port}`);
    const host = values.host ?? '127.0.0.1';
    const users = parseUsers(values.user ?? []);
    const { limits, headersTimeoutMs, requestTimeoutMs } = parseLimits(values);

    const profileName = values.faults;
    if (profileName !== undefined && !isFaultProfileName(profileName)) {
      throw new UsageError(`--faults must be one of ${Object.keys(FAULT_PROFILES).join(', ')}, got "${profileName}"`);
    }
    if (values.seed !== undefined && profileName === undefined) throw new UsageError('--seed is the fault seed: give --faults PROFILE too');
    const seed = integerOption('seed', values.seed, 1);
    if (values.data !== undefined && values.data === values.trace) throw new UsageError('--data and --trace must be different files');

    let fatal: (error: Error) => void = () => undefined;
    const failed = new Promise<Error>((resolve) => (fatal = resolve));
    let running: LiveServer;
    try {
      running = await startLiveServer({
        port, host, users,
        ...(values.data !== undefined && { dataFile: values.data }),
        ...(profileName !== undefined && { faults: { profile: FAULT_PROFILES[profileName], seed } }),
        ...(values.trace !== undefined && { traceFile: values.trace }),
        model: { limits },
        http: { headersTimeoutMs, requestTimeoutMs },
        // The real clock enters the server model here and nowhere else.
        clock: () => Date.now(),
        onFatal: (error) => fatal(error),
        onTraceError: (error) => console.error(`syncsim serve: the trace stopped: ${error.message}`),
      });
    } catch (error) {
      if (error instanceof JournalCorruptError) {
        const advice = error.offset === 0 ? 'give another file to --data' : `restore it from a backup, or cut it at byte ${error.offset} to keep only the records before it (losing every later one)`;
        console.error(`${values.data ?? ''}: byte ${error.offset}: ${error.message}. Nothing was changed: ${advice}.`);
        return 2;
      }
      if (error instanceof ListenError || error instanceof JournalLockedError) {
        console.error(`syncsim serve: ${error.message}`);
        return 2;
      }
      if (isFileError(error)) {
        console.error(`syncsim serve: ${error.path ?? ''}: ${error.message}`);
        return 2;
      }
      throw error;
    }
    console.log(`syncsim serve listening on http://${host.includes(':') ? `[${host}]` : host}:${running.port}`);
    for (const { name, token } of users) console.log(`  user ${name}  token ${token}`);
    if (running.replay !== null) {
      const { records, droppedTail, mismatches, firstMismatch, users: stored } = running.replay;
      console.log(`  data ${values.data ?? ''}: ${records} requests replayed${stored.length ? ` (users ${stored.join(', ')})` : ''}`);
      if (droppedTail !== null) console.error(`syncsim serve: warning: dropped a torn last record at byte ${droppedTail.offset} (${droppedTail.bytes} bytes: ${droppedTail.problem}); it was never acknowledged`);
      if (mismatches > 0) console.error(`syncsim serve: warning: ${mismatches} replayed requests were answered differently than before (the server model changed?): ${firstMismatch ?? ''}`);
      const orphans = stored.filter((name) => !users.some((u) => u.name === name));
      if (orphans.length > 0) console.log(`  (the data file also holds users ${orphans.join(', ')}; give them a token with --user to reach their tasks)`);
    }
    if (profileName !== undefined) console.log(`  faults ${profileName}, seed ${seed}`);
    if (values.trace !== undefined) console.log(`  trace ${values.trace}`);
    console.log('Press Ctrl-C to stop.');

    const stop = await Promise.race([untilSignal(), failed]);
    if (stop instanceof Error) {
      console.error(`syncsim serve: stopping: ${stop.message}. Restart to replay the data file; writes not acknowledged were not kept.`);
      await running.close().catch(() => undefined);
      return 1;
    }
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

function isFileError(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string' && typeof (error as NodeJS.ErrnoException).syscall === 'string';
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
