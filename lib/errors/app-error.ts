import { isConnectionFailure } from '@/db/connection-failure';
import { logger } from '@/lib/log';
import { UNAVAILABLE } from './unavailable';

export const ERROR_STATUS = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  quota_exceeded: 402,
  too_large: 413,
  rate_limited: 429,
  unavailable: 503,
} as const;

export type AppErrorCode = keyof typeof ERROR_STATUS;

/**
 * The one error type the application throws on purpose. Its message is safe to show the user; anything
 * else is a bug and is reported as a generic 500 without details.
 */
export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly details: {
      fieldErrors?: Record<string, string>;
      retryAfterSeconds?: number;
      current?: unknown;
    } = {},
  ) {
    super(message);
    this.name = 'AppError';
  }

  get status() {
    return ERROR_STATUS[this.code];
  }
}

export const notFoundError = (what = 'This item') =>
  new AppError('not_found', `${what} does not exist or was removed.`);

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/** The error body every entry point answers with, server action or route handler alike. */
export type Failure = {
  code: AppErrorCode | 'internal';
  message: string;
  fieldErrors?: Record<string, string>;
  current?: unknown;
  retryAfterSeconds?: number;
};

export const INTERNAL_MESSAGE = 'Something went wrong on our side. Please try again.';

/**
 * Maps anything thrown to the failure a user sees and its HTTP status. AppErrors keep their message; anything
 * else is a bug: logged here, once, and answered with a generic message that leaks nothing.
 */
export function describeFailure(error: unknown): Failure {
  if (isAppError(error)) return { code: error.code, message: error.message, ...error.details };
  // An outage is not a bug: the circuit breaker logs it once, not once per request.
  if (isConnectionFailure(error)) return { ...UNAVAILABLE };
  logger().error({ err: error }, 'unexpected error');
  return { code: 'internal', message: INTERNAL_MESSAGE };
}

/** A failure as a JSON response in the project's error shape, `{ error: Failure }`, with its status. */
export function failureResponse(failure: Failure): Response {
  const status = failure.code === 'internal' ? 500 : ERROR_STATUS[failure.code];
  const headers: Record<string, string> = { 'Cache-Control': 'no-store' };
  if (failure.retryAfterSeconds) headers['Retry-After'] = String(failure.retryAfterSeconds);
  return Response.json({ error: failure }, { status, headers });
}

/** Renders any thrown value as a JSON error response without leaking internals. */
export const toErrorResponse = (error: unknown): Response =>
  failureResponse(describeFailure(error));
