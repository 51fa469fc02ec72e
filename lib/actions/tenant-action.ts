import 'server-only';
import { unstable_rethrow } from 'next/navigation';
import type { z } from 'zod';
import type { Transaction } from '@/db/client';
import { withTenant } from '@/db/with-tenant';
import { type AuditInput, recordAudit } from '@/lib/audit/record';
import { type CurrentMember, requirePermission } from '@/lib/auth/session';
import type { Permission } from '@/lib/authz/permissions';
import { AppError, isAppError } from '@/lib/errors/app-error';
import { getRequestMeta } from '@/lib/http/request-meta';
import { publishEvents, type RealtimeEvent, recordEvents } from '@/lib/realtime/outbox';
import type { ActionResult } from './result';

export type AuditEntry = Pick<AuditInput, 'action' | 'targetType' | 'targetId' | 'metadata'>;

export type TenantActionContext = { tx: Transaction; member: CurrentMember };

type Handler<I, R> = (
  input: I,
  ctx: TenantActionContext,
) => Promise<{
  data: R;
  audit: AuditEntry;
  /** Realtime events for the tenant's other browsers, written to the outbox in the same transaction. */
  events?: RealtimeEvent[];
  afterCommit?: () => Promise<void>;
}>;

/** zod's issues as one message per field, for errors shown next to the field they concern. */
export function fieldErrorsOf(error: z.ZodError): Record<string, string> {
  const fieldErrors: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? 'form');
    fieldErrors[field] ??= issue.message;
  }
  return fieldErrors;
}

export function toActionFailure(error: unknown): ActionResult<never> {
  // Redirects and not-found are control flow, not failures.
  unstable_rethrow(error);
  if (isAppError(error)) {
    return {
      ok: false,
      error: { code: error.code, message: error.message, ...error.details },
    };
  }
  console.error(error);
  return {
    ok: false,
    error: { code: 'internal', message: 'Something went wrong on our side. Please try again.' },
  };
}

export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const raw = input instanceof FormData ? Object.fromEntries(input) : input;
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new AppError('invalid', 'Please correct the highlighted fields.', {
      fieldErrors: fieldErrorsOf(parsed.error),
    });
  }
  return parsed.data;
}

/**
 * The one chain every tenant write goes through: parse with zod, check the session and the membership in the
 * host's tenant, check the permission, run in `withTenant`, and write the audit event and the outbox events
 * in the same transaction; publish the events once it has committed. A handler must return its audit
 * entry, so a new action cannot forget it.
 */
export function tenantAction<S extends z.ZodType, R>(
  options: { schema: S; permission: Permission },
  handler: Handler<z.output<S>, R>,
) {
  return async (input: z.input<S> | FormData): Promise<ActionResult<R>> => {
    try {
      const parsed = parseInput(options.schema, input);
      const member = await requirePermission(options.permission);
      const { ip } = await getRequestMeta();
      const ctx = { tenantId: member.tenant.id, userId: member.userId };
      const { data, afterCommit, recorded } = await withTenant(ctx, async (tx) => {
        const { audit, events = [], ...result } = await handler(parsed, { tx, member });
        await recordAudit(tx, {
          ...audit,
          tenantId: member.tenant.id,
          actorUserId: member.userId,
          ip,
        });
        return { ...result, recorded: await recordEvents(tx, member.tenant.id, events) };
      });
      // Side effects outside the database (realtime, mail) only once the change is committed.
      await publishEvents(ctx, recorded);
      await afterCommit?.();
      return { ok: true, data };
    } catch (error) {
      return toActionFailure(error);
    }
  };
}
