import type { ActionResult } from './result';

export type ActionFailure = Error & {
  code?: string;
  fieldErrors?: Record<string, string>;
  current?: unknown;
};

/** Unwraps an action result for TanStack Query: a failure becomes an error carrying the server's message. */
export async function unwrap<T>(result: Promise<ActionResult<T>>): Promise<T> {
  const r = await result;
  if (!r.ok) {
    throw Object.assign(new Error(r.error.message), {
      code: r.error.code,
      fieldErrors: r.error.fieldErrors,
      current: r.error.current,
    }) as ActionFailure;
  }
  return r.data;
}
