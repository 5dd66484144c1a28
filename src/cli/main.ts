import { escapeConsole } from './terminal.ts';
import { UsageError, type Command } from './usage.ts';

/** Each command lives in its own module, loaded only when called. */
const commands: Record<string, { summary: string; load: () => Promise<Command> }> = {
  start: { summary: 'the main job: the scenario library and a fuzz smoke run', load: async () => (await import('./start.ts')).startCommand },
  run: { summary: 'run scenario files and check them', load: async () => (await import('./run.ts')).runCommand },
  check: { summary: 'run the checkers on a trace file', load: async () => (await import('./check.ts')).checkCommand },
  fuzz: { summary: 'seeded random workloads and faults; failures shrunk to scenario files', load: async () => (await import('./fuzz.ts')).fuzzCommand },
  conform: { summary: 'the conformance report card of an engine', load: async () => (await import('./conform.ts')).conformCommand },
  report: { summary: 'merge the outputs of fuzz shards', load: async () => (await import('./report.ts')).reportCommand },
  engines: { summary: 'list the engines and mutants', load: async () => (await import('./engines.ts')).enginesCommand },
  serve: { summary: 'run the server model as a real HTTP server', load: async () => (await import('./serve.ts')).serveCommand },
  view: { summary: 'open a trace in the browser viewer', load: async () => (await import('./view.ts')).viewCommand },
};

function overview(): string {
  return [
    'usage: syncsim <command> [options]',
    '',
    'commands:',
    ...Object.entries(commands).map(([name, { summary }]) => `  ${name.padEnd(10)} ${summary}`),
    '',
    'Run `syncsim <command> --help` for the options of one command.',
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(overview());
    return name === undefined ? 2 : 0;
  }
  const entry = commands[name];
  if (!entry) {
    console.error(`syncsim: unknown command "${name}"\n\n${overview()}`);
    return 2;
  }
  const command = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(command.help);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`syncsim ${name}: ${error.message}\n\n${command.help}`);
      return 2;
    }
    throw error;
  }
}

// A reader that stops early (`syncsim run … | head`) closes the pipe: that ends the output, not in a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

escapeConsole();
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exitCode = 1;
  },
);
