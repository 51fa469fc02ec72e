import pino, { type Logger } from 'pino';
import { getEnv } from '@/lib/config/env';

/**
 * The one logger of every process (web server, worker): JSON lines on stdout, at LOG_LEVEL. Kept on
 * globalThis because Next.js bundles this module more than once into one server process.
 */
const state = globalThis as unknown as { __tenantryLogger?: Logger };

export function logger(): Logger {
  state.__tenantryLogger ??= pino({
    level: getEnv().logLevel,
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
  });
  return state.__tenantryLogger;
}
