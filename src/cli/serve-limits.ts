import { DEFAULT_HEADERS_TIMEOUT_MS, DEFAULT_REQUEST_TIMEOUT_MS } from '../server/listen.ts';
import { DEFAULT_LIMITS, type ServerLimits } from '../server/limits.ts';
import { integerOption, UsageError } from './usage.ts';

/** The `serve` flags that bound what hostile or runaway clients can cost (SPEC §4 "Limits"). */
export const limitFlags = {
  'max-tasks': { type: 'string' },
  'max-bytes': { type: 'string' },
  'max-reply-bytes': { type: 'string' },
  'header-timeout': { type: 'string' },
  'request-timeout': { type: 'string' },
} as const;

export const limitHelp = `  --max-tasks N       stored tasks per user, deleted ones included (default ${DEFAULT_LIMITS.maxTasks})
  --max-bytes N       bytes of stored tasks per user (default ${DEFAULT_LIMITS.maxBytes}, 64 MiB)
  --max-reply-bytes N largest reply body; delta pages shrink to fit (default ${DEFAULT_LIMITS.maxReplyBytes}, 4 MiB)
  --header-timeout MS request headers must arrive within MS (default ${DEFAULT_HEADERS_TIMEOUT_MS})
  --request-timeout MS a whole request, body included, within MS (default ${DEFAULT_REQUEST_TIMEOUT_MS})`;

export interface ServeLimits {
  limits: Partial<ServerLimits>;
  headersTimeoutMs: number;
  requestTimeoutMs: number;
}

type LimitValues = Partial<Record<keyof typeof limitFlags, string>>;

export function parseLimits(values: LimitValues): ServeLimits {
  const positive = (name: keyof typeof limitFlags, fallback: number) => {
    const value = integerOption(name, values[name], fallback);
    if (value <= 0 || !Number.isSafeInteger(value)) throw new UsageError(`--${name} must be a positive integer, got "${values[name] ?? ''}"`);
    return value;
  };
  const headersTimeoutMs = positive('header-timeout', DEFAULT_HEADERS_TIMEOUT_MS);
  const requestTimeoutMs = positive('request-timeout', Math.max(DEFAULT_REQUEST_TIMEOUT_MS, headersTimeoutMs));
  if (requestTimeoutMs < headersTimeoutMs) throw new UsageError('--request-timeout must not be shorter than --header-timeout');
  return {
    limits: {
      maxTasks: positive('max-tasks', DEFAULT_LIMITS.maxTasks),
      maxBytes: positive('max-bytes', DEFAULT_LIMITS.maxBytes),
      maxReplyBytes: positive('max-reply-bytes', DEFAULT_LIMITS.maxReplyBytes),
    },
    headersTimeoutMs,
    requestTimeoutMs,
  };
}
