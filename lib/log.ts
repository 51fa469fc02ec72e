import pino, { type DestinationStream, type Level, type Logger } from 'pino';
import { getLogLevel } from '@/lib/config/env';
import { currentRequestContext } from '@/lib/observability/request-context';

/**
 * The one logger of every process (web server, worker): JSON lines on stdout, at LOG_LEVEL. Every line
 * written while a request is being served carries its request id, and its tenant and user once known
 * (lib/observability/request-context.ts), whichever module copy writes it.
 *
 * What must never reach a log is kept out where it is written (request bodies, cookies and query strings
 * are never logged at all); the redaction below is the second line, for a secret that slips into an object
 * someone logs whole.
 */

/** Field names, in lower case, whose values are never written, at any depth of a logged object. */
const SECRET_KEYS = new Set([
  'password',
  'currentpassword',
  'newpassword',
  'passwordhash',
  'confirm',
  'token',
  'accesstoken',
  'refreshtoken',
  'secret',
  'authorization',
  'cookie',
  'set-cookie',
  'apikey',
  'recoverycode',
]);
const REDACTED = '[redacted]';
const REDACT_DEPTH = 5;

/**
 * `value` with every field named like a secret (in any case) replaced, through plain objects, arrays and
 * errors (whose enumerable fields the error serializer writes). What it leaves unchanged it shares, so an
 * ordinary line costs a glance at its keys: pino's own wildcard redaction cost 50 µs a line here.
 */
export function redactSecrets(value: unknown, depth = 0): unknown {
  if (typeof value !== 'object' || value === null || depth > REDACT_DEPTH) return value;
  if (Array.isArray(value)) {
    const items = value.map((item) => redactSecrets(item, depth + 1));
    return items.some((item, i) => item !== value[i]) ? items : value;
  }
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null && !(value instanceof Error))
    return value;
  let copy: Record<string, unknown> | undefined;
  for (const key of Object.keys(value)) {
    const field = (value as Record<string, unknown>)[key];
    const kept = SECRET_KEYS.has(key.toLowerCase()) ? REDACTED : redactSecrets(field, depth + 1);
    if (kept === field) continue;
    // Same prototype and property descriptors: an error stays an error, with its message and stack.
    copy ??= Object.defineProperties(
      Object.create(prototype),
      Object.getOwnPropertyDescriptors(value),
    ) as Record<string, unknown>;
    copy[key] = kept;
  }
  return copy ?? value;
}

export type LogLevel = Level | 'silent';

export function createLogger(options: { level: LogLevel; destination?: DestinationStream }) {
  return pino(
    {
      level: options.level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        log: (object) => redactSecrets(object) as Record<string, unknown>,
      },
      mixin() {
        const context = currentRequestContext();
        if (!context) return {};
        return {
          requestId: context.requestId,
          ...(context.tenantSlug && { tenant: context.tenantSlug }),
          ...(context.userId && { userId: context.userId }),
        };
      },
    },
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

/** Kept on globalThis because Next.js bundles this module more than once into one server process. */
const KEY = Symbol.for('tenantry.logger');
const state = globalThis as { [KEY]?: Logger };

export function logger(): Logger {
  state[KEY] ??= createLogger({ level: getLogLevel() });
  return state[KEY];
}

/** Replaces the process's logger: tests capture lines this way. */
export function setLogger(replacement: Logger) {
  state[KEY] = replacement;
}
