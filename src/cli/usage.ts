import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A mistake in how the CLI was called: printed with the command's help, exit code 2. */
export class UsageError extends Error {}

/** One CLI command: its help text and what it does with its arguments; resolves to an exit code. */
export interface Command {
  summary: string;
  help: string;
  run(argv: string[]): Promise<number>;
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** What parseCommandArgs gives, named so the published declarations can spell it. */
export type ParsedCommandArgs<O extends Options> = ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>>;

/** node:util parseArgs, with its errors turned into UsageError. */
export function parseCommandArgs<O extends Options>(argv: string[], options: O): ParsedCommandArgs<O> {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** Parses a non-negative integer option, or throws a UsageError naming the option. */
export function integerOption(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value)) throw new UsageError(`--${name} must be a non-negative integer, got "${value}"`);
  return Number(value);
}
