import 'server-only';
import { and, asc, eq } from 'drizzle-orm';
import type { Transaction } from '@/db/client';
import { memberships, tenants } from '@/db/schema';
import type { MyOrganization } from './schemas';

/**
 * The organizations where the signed-in user's membership is active, for the switcher. Runs in `withTenant`
 * with the user's id: the `_own_` policies let them see their own memberships and organizations in any
 * tenant context, and nothing else. One indexed statement (memberships by user), run only when the switcher
 * opens, so the shell that every page renders pays nothing for it.
 */
export async function listMyOrganizations(
  tx: Transaction,
  me: { userId: string; tenantId: string },
): Promise<MyOrganization[]> {
  const rows = await tx
    .select({ id: tenants.id, name: tenants.name, slug: tenants.slug })
    .from(memberships)
    .innerJoin(tenants, eq(tenants.id, memberships.tenantId))
    .where(
      and(
        eq(memberships.userId, me.userId),
        eq(memberships.status, 'active'),
        eq(tenants.status, 'active'),
      ),
    )
    .orderBy(asc(tenants.name), asc(tenants.slug));
  return rows.map((r) => ({ ...r, current: r.id === me.tenantId }));
}
