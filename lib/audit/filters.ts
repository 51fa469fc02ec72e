import { z } from 'zod';
import { parseInput } from '@/lib/actions/parse';
import { AppError } from '@/lib/errors/app-error';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const blankToUndefined = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess(blankToUndefined, schema.optional());

/** A calendar day, YYYY-MM-DD, that exists (2026-02-30 does not). */
const day = (label: string) =>
  z
    .string()
    .regex(DATE, `${label} must be a date (YYYY-MM-DD).`)
    .refine((value) => {
      const date = new Date(`${value}T00:00:00Z`);
      return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
    }, `${label} is not a date that exists.`)
    .refine((value) => value >= '1970-01-01', `${label} must be in 1970 or later.`);

/**
 * The audit log's filters, from the page's query string or the export's: the same names in both, so the
 * export link is the page's filters. Blank fields are no filter. Every filter is served by an index of
 * migration 0032 (see lib/audit/queries.ts).
 */
export const auditFilterSchema = z
  .object({
    actor: optional(z.string().regex(UUID, 'Choose an actor from the list.')),
    action: optional(
      z
        .string()
        .max(100, 'An action name is at most 100 characters.')
        .regex(/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/, 'Choose an action from the list.'),
    ),
    targetType: optional(
      z
        .string()
        .max(40, 'A target type is at most 40 characters.')
        .regex(/^[a-z][a-z0-9_]*$/, 'Choose a target type from the list.'),
    ),
    targetId: optional(z.string().trim().max(200, 'A target id is at most 200 characters.')),
    from: optional(day('From')),
    to: optional(day('To')),
    cursor: optional(z.string().max(200)),
  })
  .superRefine((f, ctx) => {
    if (f.targetId && !f.targetType) {
      ctx.addIssue({
        code: 'custom',
        path: ['targetId'],
        message: 'Choose the target type as well to search by target id.',
      });
    }
    if (f.from && f.to && f.from > f.to) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: '“To” must not be before “From”.' });
    }
  });

export type AuditFilters = z.output<typeof auditFilterSchema>;

/** The filters as query-string values (the cursor left out): for links, the export and the audit entry. */
export function filterParams(filters: AuditFilters): Record<string, string> {
  const { cursor: _cursor, ...rest } = filters;
  return Object.fromEntries(
    Object.entries(rest).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
}

/**
 * Parses a query string's filters; an unknown or malformed value is an `invalid` AppError whose field errors
 * the page shows next to each field (and the export answers as a 400), never a crash or a silent "no filter".
 */
export function parseAuditFilters(
  params: URLSearchParams | Record<string, string | string[] | undefined>,
): AuditFilters {
  const raw: Record<string, string> = {};
  const entries =
    params instanceof URLSearchParams ? [...params.entries()] : Object.entries(params ?? {});
  for (const [key, value] of entries) {
    const first = Array.isArray(value) ? value[0] : value;
    if (typeof first === 'string' && !(key in raw)) raw[key] = first;
  }
  return parseInput(auditFilterSchema, raw);
}

/** The half-open time range [from 00:00, day after `to` 00:00) in UTC, the zone the log shows times in. */
export function dayRange(filters: AuditFilters): { since?: Date; until?: Date } {
  const since = filters.from ? new Date(`${filters.from}T00:00:00Z`) : undefined;
  let until: Date | undefined;
  // The last day there is has no day after it (that PostgreSQL would read): no upper bound is the same.
  if (filters.to && filters.to < '9999-12-31') {
    until = new Date(`${filters.to}T00:00:00Z`);
    until.setUTCDate(until.getUTCDate() + 1);
  }
  return { since, until };
}

export const isInvalidFilter = (error: unknown): error is AppError =>
  error instanceof AppError && error.code === 'invalid';
