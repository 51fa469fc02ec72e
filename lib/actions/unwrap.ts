import type { Failure } from '@/lib/errors/app-error';
import { callAction } from './call';
import type { ActionResult } from './result';

export type ActionFailure = Error & Omit<Failure, 'message'>;

/** Unwraps an action result for TanStack Query: a failure becomes an error carrying the server's message. */
export async function unwrap<T>(result: Promise<ActionResult<T>>): Promise<T> {
  const r = await callAction(() => result, undefined);
  if (!r.ok) {
    const { message, ...details } = r.error;
    throw Object.assign(new Error(message), details) as ActionFailure;
  }
  return r.data;
}
