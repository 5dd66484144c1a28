/** Reading JSON of unknown shape from a real server: anything unexpected reads as empty. */

export function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

export function array(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
