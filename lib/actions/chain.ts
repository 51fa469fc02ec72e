import 'server-only';
import { unstable_rethrow } from 'next/navigation';
import type { z } from 'zod';
import { describeFailure } from '@/lib/errors/app-error';
import { parseInput } from './parse';
import type { ActionResult } from './result';

/**
 * What an entry point declares: its input schema and, optionally, the budget one call spends (a rate limit
 * that throws `rate_limited`), counted only for input that parsed.
 */
export type EntrySpec<S extends z.ZodType> = {
  schema: S;
  limit?: (input: z.output<S>) => Promise<void>;
};

/**
 * The chain every server action and route handler runs, signed in or not: validate → limit → act. Errors
 * are thrown; each kind of entry point maps them once (`toActionFailure`, `toErrorResponse`), so no entry
 * point writes its own try/catch or error shape.
 */
export async function runChain<S extends z.ZodType, R>(
  spec: EntrySpec<S>,
  raw: unknown,
  act: (input: z.output<S>) => Promise<R>,
): Promise<R> {
  const input = parseInput(spec.schema, raw);
  await spec.limit?.(input);
  return act(input);
}

export function toActionFailure(error: unknown): ActionResult<never> {
  // Redirects and not-found are control flow, not failures.
  unstable_rethrow(error);
  return { ok: false, error: describeFailure(error) };
}

/**
 * A server action that needs no session (sign-in helpers, emailed links). It returns an ActionResult and
 * never throws to the client, whose production build would hide the message.
 */
export function publicAction<S extends z.ZodType, R>(
  spec: EntrySpec<S>,
  handler: (input: z.output<S>) => Promise<R>,
) {
  return async (input: z.input<S> | FormData): Promise<ActionResult<R>> => {
    try {
      return { ok: true, data: await runChain(spec, input, handler) };
    } catch (error) {
      return toActionFailure(error);
    }
  };
}
