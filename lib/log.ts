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

const SECRET_KEYS = [
  'password',
  'currentPassword',
  'newPassword',
  'passwordHash',
  'token',
  'accessToken',
  'refreshToken',
  'secret',
  'authorization',
  'cookie',
  'set-cookie',
  'apiKey',
  'recoveryCode',
];

/** Each key at the top of a logged object and two levels down (`{ err: { headers: { cookie } } }`). */
const REDACT_PATHS = SECRET_KEYS.flatMap((key) =>
  ['', '*', '*.*'].map((parent) => `${parent}["${key}"]`),
);

export type LogLevel = Level | 'silent';

export function createLogger(options: { level: LogLevel; destination?: DestinationStream }) {
  return pino(
    {
      level: options.level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
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
