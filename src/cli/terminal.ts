/**
 * What the CLI prints is escaped for the terminal: a scenario's title, a task id, a file
 * name or a YAML key from a hostile file could otherwise carry control bytes (escape
 * sequences that move the cursor, rewrite lines, retitle the window) or bidirectional
 * overrides that make a line read differently from what it says. Tabs and newlines stay.
 */

// C0 controls but tab and newline, DEL, C1 controls, and the bidirectional embeddings, overrides and isolates.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

const escapeOne = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** `text` with each unsafe character written as a `\uXXXX` escape. */
export function escapeControls(text: string): string {
  return text.replace(UNSAFE, escapeOne);
}

/** From now on, every string given to console.log/error/warn/info is escaped (the CLI's one way out to the terminal). */
export function escapeConsole(): void {
  for (const method of ['log', 'error', 'warn', 'info'] as const) {
    const print = console[method].bind(console);
    console[method] = (...args: unknown[]) => print(...args.map((arg) => (typeof arg === 'string' ? escapeControls(arg) : arg)));
  }
}
