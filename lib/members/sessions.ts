import 'server-only';
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Transaction } from '@/db/client';
import { sessions } from '@/db/schema';

/**
 * Ends a member's sessions in this organization only (their other organizations are not this admin's to
 * end), in the caller's transaction; returns their ids, whose realtime connections go once it commits.
 */
export async function revokeMemberSessions(
  tx: Transaction,
  { tenantId, userId }: { tenantId: string; userId: string },
): Promise<string[]> {
  const rows = await tx
    .update(sessions)
    .set({ revokedAt: sql`now()` })
    .where(
      and(eq(sessions.tenantId, tenantId), eq(sessions.userId, userId), isNull(sessions.revokedAt)),
    )
    .returning({ id: sessions.id });
  return rows.map((r) => r.id);
}

/**
 * The live sessions in this organization of members who have not set up two-factor sign-in: once an owner
 * requires it, their realtime connections are dropped (their next request goes to the set-up page anyway).
 * Which members have it on comes from `tenantry_members_with_two_factor()` (migration 0041).
 */
export async function sessionsWithoutTwoFactor(tx: Transaction, tenantId: string) {
  const rows = await tx
    .select({ id: sessions.id })
    .from(sessions)
    .where(
      and(
        eq(sessions.tenantId, tenantId),
        isNull(sessions.revokedAt),
        gt(sessions.expiresAt, sql`now()`),
        sql`${sessions.userId} not in (select tenantry_members_with_two_factor())`,
      ),
    );
  return rows.map((r) => r.id);
}
