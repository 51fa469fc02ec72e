import 'server-only';
import type { z } from 'zod';
import type { Transaction } from '@/db/client';
import { withTenant } from '@/db/with-tenant';
import { type AuditInput, recordAudit } from '@/lib/audit/record';
import { type CurrentMember, requirePermission } from '@/lib/auth/session';
import type { Permission } from '@/lib/authz/permissions';
import { getRequestMeta } from '@/lib/http/request-meta';
import { logger } from '@/lib/log';
import { countTenantWrite } from '@/lib/observability/tenant-usage';
import { publishEvents, type RealtimeEvent, recordEvents } from '@/lib/realtime/outbox';
import { type EntrySpec, publicAction } from './chain';

export type AuditEntry = Pick<
  AuditInput,
  'action' | 'targetType' | 'targetId' | 'metadata' | 'before' | 'after'
>;

export type TenantActionContext = { tx: Transaction; member: CurrentMember };

type Handler<I, R> = (
  input: I,
  ctx: TenantActionContext,
) => Promise<{
  data: R;
  /** One entry, or one per item when a request changes several at once (a batch of invitations). */
  audit: AuditEntry | [AuditEntry, ...AuditEntry[]];
  /** Realtime events for the tenant's other browsers, written to the outbox in the same transaction. */
  events?: RealtimeEvent[];
  afterCommit?: () => Promise<void>;
}>;

/**
 * The chain every tenant write goes through: the public chain (parse with zod, then the limit), then the
 * session and the membership in the host's tenant, the permission, `withTenant`, and the audit event and the
 * outbox events in the same transaction; the events are published once it has committed. A handler must
 * return its audit entry, so a new action cannot forget it.
 */
export function tenantAction<S extends z.ZodType, R>(
  options: EntrySpec<S> & { permission: Permission },
  handler: Handler<z.output<S>, R>,
) {
  return publicAction(options, async (parsed) => {
    const member = await requirePermission(options.permission);
    const { ip, userAgent } = await getRequestMeta();
    const ctx = { tenantId: member.tenant.id, userId: member.userId };
    const { data, afterCommit, recorded } = await withTenant(ctx, async (tx) => {
      const { audit, events = [], ...result } = await handler(parsed, { tx, member });
      for (const entry of [audit].flat()) {
        await recordAudit(tx, {
          ...entry,
          tenantId: member.tenant.id,
          actorUserId: member.userId,
          ip,
          userAgent,
        });
      }
      return { ...result, recorded: await recordEvents(tx, member.tenant.id, events) };
    });
    countTenantWrite(member.tenant.id, recorded.length);
    // Side effects outside the database (realtime) only once the change is committed. The change is
    // done by then: a failing side effect is logged, never answered as a failure of what did happen.
    await publishEvents(ctx, recorded);
    await afterCommit?.().catch((error: unknown) => {
      logger().error({ err: error }, 'a committed action’s follow-up failed');
    });
    return data;
  });
}
