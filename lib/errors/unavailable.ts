import type { Failure } from './app-error';

/**
 * What every entry point answers while the database cannot be reached, or has no connection to spare: 503
 * with a Retry-After. Nothing the user sent was wrong, and nothing was saved. A module of its own, free of
 * server code, since the browser shows the same state (lib/actions/call.ts, the error page).
 */
export const UNAVAILABLE_MESSAGE =
  'Tenantry is temporarily unavailable. Please try again in a few seconds.';

export const UNAVAILABLE: Failure = {
  code: 'unavailable',
  message: UNAVAILABLE_MESSAGE,
  retryAfterSeconds: 2,
};
