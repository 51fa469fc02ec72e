import 'server-only';
import { revalidatePath } from 'next/cache';
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
  options: EntrySpec<S> & {
    permission: Permission;
    /**
     * The page this action is sent from, when that page shows what it changes: it comes back re-rendered
     * in the action's own answer (Next's `revalidatePath`), so the change and the answer show in one update.
     * A `router.refresh()` after the answer is a second router update, and several of those in flight at
     * once (the realtime events of the same change refresh too) made more chances for React 19.2 to lose
     * one (components/members/membership-watcher.tsx). Even this one update is a router update: a page whose
     * list must change at once also updates its own state from the answer (SessionsList).
     */
    rerenders?: string;
  },
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
    if (options.rerenders) revalidatePath(options.rerenders);
    return data;
  });
}
