import 'server-only';
import type { Transaction } from '@/db/client';
import { auditEvents } from '@/db/schema';

export type AuditInput = {
  tenantId: string;
  actorUserId: string | null;
  action: string;
  targetType?: string;
  targetId?: string;
  metadata?: Record<string, unknown>;
  ip?: string | null;
};

/** Written in the caller's transaction, so an event exists exactly when the change it describes does. */
export async function recordAudit(tx: Transaction, event: AuditInput) {
  await tx
    .insert(auditEvents)
    .values({ ...event, ip: event.ip ?? null, metadata: event.metadata ?? {} });
}
