import type { AppErrorCode } from '@/lib/errors/app-error';

/** What every server action returns: actions never throw to the client, whose production build hides messages. */
export type ActionResult<T> =
  | { ok: true; data: T }
  | {
      ok: false;
      error: {
        code: AppErrorCode | 'internal';
        message: string;
        fieldErrors?: Record<string, string>;
        current?: unknown;
      };
    };
