export const ERROR_STATUS = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  quota_exceeded: 402,
  rate_limited: 429,
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

/** Renders any thrown value as a JSON response body without leaking internals. */
export function toErrorResponse(error: unknown): Response {
  if (isAppError(error)) {
    const headers: Record<string, string> = {};
    if (error.details.retryAfterSeconds)
      headers['Retry-After'] = String(error.details.retryAfterSeconds);
    return Response.json(
      {
        error: {
          code: error.code,
          message: error.message,
          fieldErrors: error.details.fieldErrors,
          current: error.details.current,
          retryAfterSeconds: error.details.retryAfterSeconds,
        },
      },
      { status: error.status, headers },
    );
  }
  console.error(error);
  return Response.json(
    { error: { code: 'internal', message: 'Something went wrong on our side. Please try again.' } },
    { status: 500 },
  );
}
