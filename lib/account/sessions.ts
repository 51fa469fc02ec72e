import 'server-only';
import { and, desc, eq, gt, isNull, ne, sql } from 'drizzle-orm';
import type { Transaction } from '@/db/client';
import { sessions, tenants } from '@/db/schema';
import { describeUserAgent } from './user-agent';

export type MySession = {
  id: string;
  organization: string;
  device: string;
  ip: string | null;
  createdAt: string;
  lastSeenAt: string;
  current: boolean;
};

/**
 * Every live session of the current user, in every organization they belong to. Runs in `withTenant` with
 * the user's id: the `_own_` policies let them see their own sessions and organizations, and nothing else.
 */
export async function listMySessions(
  tx: Transaction,
  me: { userId: string; sessionId: string },
): Promise<MySession[]> {
  const rows = await tx
    .select({
      id: sessions.id,
      organization: tenants.name,
      userAgent: sessions.userAgent,
      ip: sessions.ip,
      createdAt: sessions.createdAt,
      lastSeenAt: sessions.lastSeenAt,
    })
    .from(sessions)
    .innerJoin(tenants, eq(tenants.id, sessions.tenantId))
    .where(
      and(
        eq(sessions.userId, me.userId),
        isNull(sessions.revokedAt),
        gt(sessions.expiresAt, sql`now()`),
        // Each organization's own idle limit (the session check applies the same).
        gt(sessions.lastSeenAt, sql`now() - make_interval(days => ${tenants.sessionIdleDays})`),
      ),
    )
    .orderBy(desc(sessions.lastSeenAt));
  return rows.map((r) => ({
    id: r.id,
    organization: r.organization,
    device: describeUserAgent(r.userAgent),
    ip: r.ip,
    createdAt: r.createdAt.toISOString(),
    lastSeenAt: r.lastSeenAt.toISOString(),
    current: r.id === me.sessionId,
  }));
}

/** Ends every session of the member but the current one, in all their organizations; returns their ids. */
export async function revokeOtherSessionsOf(
  tx: Transaction,
  me: { userId: string; sessionId: string },
) {
  return tx
    .update(sessions)
    .set({ revokedAt: sql`now()` })
    .where(
      and(
        eq(sessions.userId, me.userId),
        ne(sessions.id, me.sessionId),
        isNull(sessions.revokedAt),
      ),
    )
    .returning({ id: sessions.id });
}
