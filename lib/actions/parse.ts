import 'server-only';
import type { z } from 'zod';
import { AppError } from '@/lib/errors/app-error';

const FIX_FIELDS = 'Please correct the highlighted fields.';
const NUL_MESSAGE = 'This text contains a character that is not allowed (a NUL byte).';

/** zod's issues as one message per field, for errors shown next to the field they concern. */
export function fieldErrorsOf(error: z.ZodError): Record<string, string> {
  const fieldErrors: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? 'form');
    fieldErrors[field] ??= issue.message;
  }
  return fieldErrors;
}

/**
 * The first field (by its top-level name) holding a string with a NUL byte, walking the input without
 * recursion. PostgreSQL refuses NUL in text, so without this check any text field could turn into a 500.
 */
function fieldWithNul(input: unknown): string | null {
  const stack: Array<{ value: unknown; field: string }> = [{ value: input, field: 'form' }];
  const topLevel = typeof input === 'object' && input !== null;
  while (stack.length > 0) {
    const { value, field } = stack.pop()!;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return field;
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, child] of Object.entries(value)) {
        if (key.includes('\u0000')) return field;
        stack.push({ value: child, field: value === input && topLevel ? key : field });
      }
    }
  }
  return null;
}

/** Parses an entry point's input (a FormData or a JSON value) with its schema, or throws `invalid`. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const raw = input instanceof FormData ? Object.fromEntries(input) : input;
  const nulField = fieldWithNul(raw);
  if (nulField) {
    throw new AppError('invalid', FIX_FIELDS, { fieldErrors: { [nulField]: NUL_MESSAGE } });
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new AppError('invalid', FIX_FIELDS, { fieldErrors: fieldErrorsOf(parsed.error) });
  }
  return parsed.data;
}
