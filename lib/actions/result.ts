import type { Failure } from '@/lib/errors/app-error';

/** What every server action returns: actions never throw to the client, whose production build hides messages. */
export type ActionResult<T> = { ok: true; data: T } | { ok: false; error: Failure };
