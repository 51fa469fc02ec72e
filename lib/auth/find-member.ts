import 'server-only';
import { and, eq, sql } from 'drizzle-orm';
import type { Transaction } from '@/db/client';
import { memberships, users } from '@/db/schema';

/**
 * The active member of `tenantId` with this email (case-insensitive), in the tenant's RLS context: the one
 * lookup behind sign-in and password reset, so both recognise exactly the same people.
 */
export async function findActiveMemberByEmail(tx: Transaction, tenantId: string, email: string) {
  const [user] = await tx
    .select({ id: users.id, passwordHash: users.passwordHash })
    .from(users)
    .innerJoin(
      memberships,
      and(eq(memberships.userId, users.id), eq(memberships.tenantId, tenantId)),
    )
    .where(
      and(
        eq(sql`lower(${users.email})`, email),
        eq(users.status, 'active'),
        eq(memberships.status, 'active'),
      ),
    );
  return user;
}
