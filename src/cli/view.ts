import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { ensureViewerBuilt, startViewServer, type ViewServer } from '../viewer-server/index.ts';
import { integerOption, parseCommandArgs, UsageError, type Command } from './usage.ts';

function openBrowser(url: string): void {
  const [command, args] = process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '', url]] : ['xdg-open', [url]];
  try {
    const child = spawn(command, args as string[], { stdio: 'ignore', detached: true });
    child.on('error', () => console.error(`could not open a browser; open ${url} yourself`));
    child.unref();
  } catch {
    console.error(`could not open a browser; open ${url} yourself`);
  }
}

export const viewCommand: Command = {
  summary: 'open a trace in the browser viewer',
  help: [
    'usage: syncsim view [trace.jsonl] [--port N] [--no-open]',
    '',
    'Serves the trace viewer (SPEC §8) on 127.0.0.1 with the trace, prints the URL and opens',
    'a browser. Without a trace file the page asks for one (or drop it on the page).',
    'Serves the prebuilt viewer (dist/viewer); in a checkout, builds it first when missing or stale.',
    '',
    'options:',
    '  --port N    the port to listen on (default: any free port)',
    '  --no-open   do not open a browser',
    '',
    'Runs until interrupted (Ctrl-C). exit code: 2 bad usage or missing trace file',
  ].join('\n'),
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, { port: { type: 'string' }, 'no-open': { type: 'boolean' } });
    if (positionals.length > 1) throw new UsageError('give at most one trace file');
    const traceFile = positionals[0] === undefined ? undefined : resolve(positionals[0]);
    if (traceFile && (!existsSync(traceFile) || statSync(traceFile).isDirectory())) {
      console.error(`${positionals[0]}: no such file`);
      return 2;
    }
    const port = integerOption('port', values.port, 0);
    await ensureViewerBuilt((line) => console.error(line));
    let view: ViewServer;
    try {
      view = await startViewServer({ traceFile, port });
    } catch (error) {
      console.error(`cannot listen on port ${port}: ${(error as Error).message}`);
      return 2;
    }
    console.log(`syncsim viewer: ${view.url}${traceFile ? ` (trace ${positionals[0]})` : ''}`);
    if (!values['no-open']) openBrowser(view.url);
    await new Promise<void>((done) => {
      const stop = () => void view.close().then(done);
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    return 0;
  },
};
