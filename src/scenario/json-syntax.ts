/**
 * A `.json` scenario is JSON, not YAML (which would accept a trailing comma or a comment):
 * JSON.parse decides, and this says where it failed. V8 names the position in most of its
 * messages; for "Unexpected token" it does not, and then the shortest prefix of the text
 * that JSON.parse refuses for a reason other than running out of input ends just after the
 * bad token (a prefix of valid JSON only ever runs out of input).
 */
export interface JsonSyntaxError {
  /** The 0-based offset in the text. */
  offset: number;
  message: string;
}

const POSITION = /(?: in JSON)? at position (\d+)/;
const END = 'Unexpected end of JSON input';

/** The first syntax error of `text` as JSON, or null when it is valid JSON. */
export function jsonSyntaxError(text: string): JsonSyntaxError | null {
  const message = parseError(text);
  if (message === null) return null;
  const short = message.replace(POSITION, '').replace(/, .*is not valid JSON$/s, '').replace(/ \(line \d+ column \d+\)$/, '');
  const position = POSITION.exec(message);
  if (position !== null) return { offset: Number(position[1]), message: short };
  if (message === END) return { offset: text.length, message: short };
  // The shortest refused prefix: refusal is monotonic in the prefix's length.
  let lo = 1;
  let hi = text.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (refuses(text.slice(0, mid))) hi = mid;
    else lo = mid + 1;
  }
  return { offset: lo - 1, message: short };
}

function parseError(text: string): string | null {
  try {
    JSON.parse(text);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

/** Whether JSON.parse refuses `prefix` for what it holds, not for where it ends. */
function refuses(prefix: string): boolean {
  const message = parseError(prefix);
  if (message === null || message === END) return false;
  const position = POSITION.exec(message);
  return position === null || Number(position[1]) < prefix.length;
}
