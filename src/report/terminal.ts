/** What a command may assume about where its output goes: how wide it is, whether it is a terminal. */
export interface OutputStream {
  isTTY?: boolean;
  columns?: number;
}

const DEFAULT_WIDTH = 80;

/** The width to fit: the terminal's own when stdout is one, else `COLUMNS`, else 80. */
export function terminalWidth(stream: OutputStream = process.stdout, env: NodeJS.ProcessEnv = process.env): number {
  if (stream.isTTY === true && typeof stream.columns === 'number' && stream.columns > 0) return stream.columns;
  const fromEnv = Number(env.COLUMNS);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : DEFAULT_WIDTH;
}

/** Colour only for a person at a terminal who has not asked for none (https://no-color.org). */
export function colourAllowed(stream: OutputStream = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean {
  return stream.isTTY === true && (env.NO_COLOR === undefined || env.NO_COLOR === '');
}

/** cli-table3 colours its heads red and its borders grey unless told not to; our tables never colour. */
export const PLAIN_TABLE_STYLE = { head: [] as string[], border: [] as string[] };
