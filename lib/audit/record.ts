import 'server-only';
import type { Transaction } from '@/db/client';
import { type AuditActorType, auditEvents } from '@/db/schema';
import { getRequestMeta } from '@/lib/http/request-meta';

export type AuditInput = {
  tenantId: string;
  actorUserId: string | null;
  /** Who acted: a signed-in user (the default), and later an API key, a platform operator or the system. */
  actorType?: AuditActorType;
  action: string;
  targetType?: string;
  targetId?: string;
  metadata?: Record<string, unknown>;
  /** For changes: the changed fields as they were and as they became (see `auditChanges`). */
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  ip?: string | null;
  userAgent?: string | null;
};

/** The current request's address and user agent; none outside a request (a job in the worker). */
async function requestMetaOrNone(): Promise<{ ip: string | null; userAgent: string | null }> {
  try {
    return await getRequestMeta();
  } catch {
    return { ip: null, userAgent: null };
  }
}

/**
 * Written in the caller's transaction, so an event exists exactly when the change it describes does. An
 * entry made while serving a request carries that request's IP and user agent unless the caller passes its
 * own (null included): no call site can forget them.
 */
export async function recordAudit(tx: Transaction, event: AuditInput) {
  const meta =
    event.ip === undefined || event.userAgent === undefined ? await requestMetaOrNone() : null;
  await tx.insert(auditEvents).values({
    ...event,
    actorType: event.actorType ?? 'user',
    ip: event.ip !== undefined ? event.ip : (meta?.ip ?? null),
    userAgent: event.userAgent !== undefined ? event.userAgent : (meta?.userAgent ?? null),
    before: event.before ?? null,
    after: event.after ?? null,
    metadata: event.metadata ?? {},
  });
}

/**
 * The `before` and `after` of an audit entry: only the fields of `after` whose value differs from `before`,
 * so an entry says what changed and nothing else. Values compare as JSON.
 */
export function auditChanges<T extends Record<string, unknown>>(before: T, after: Partial<T>) {
  const was: Record<string, unknown> = {};
  const now: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(after)) {
    if (value === undefined) continue;
    if (JSON.stringify(before[key] ?? null) === JSON.stringify(value ?? null)) continue;
    was[key] = before[key] ?? null;
    now[key] = value ?? null;
  }
  return { before: was, after: now };
}
