import type { Failure } from '@/lib/errors/app-error';
import { UNAVAILABLE, UNAVAILABLE_MESSAGE } from '@/lib/errors/unavailable';
import { TOO_LARGE_MESSAGE } from '@/lib/http/limits';
import type { ActionResult } from './result';

export const UNREACHABLE: Failure = {
  code: 'internal',
  message: 'We could not reach the server. Check your connection and try again.',
};

/**
 * What a thrown server-action call means to the user. Actions themselves never throw; a call throws when no
 * answer came (a TypeError from fetch), or when the server in front refused the request before Next.js
 * (scripts/serve.ts answers an oversized body with a plain-text 413, and a request that arrives while the
 * database is unreachable with a plain-text 503; Next.js puts the text in the error).
 */
function failureOfThrown(error: unknown): Failure {
  if (error instanceof Error && error.message === TOO_LARGE_MESSAGE) {
    return { code: 'too_large', message: TOO_LARGE_MESSAGE };
  }
  if (error instanceof Error && error.message === UNAVAILABLE_MESSAGE) return { ...UNAVAILABLE };
  if (error instanceof TypeError) return UNREACHABLE;
  return { code: 'internal', message: 'Something went wrong on our side. Please try again.' };
}

/** The one way the browser calls a server action: any failure, thrown or returned, is an ActionResult. */
export async function callAction<I, T>(
  action: (input: I) => Promise<ActionResult<T>>,
  input: I,
): Promise<ActionResult<T>> {
  try {
    return await action(input);
  } catch (error) {
    return { ok: false, error: failureOfThrown(error) };
  }
}
