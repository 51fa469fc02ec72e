import 'server-only';
import type { Transaction } from '@/db/client';
import { withTenant } from '@/db/with-tenant';
import { type CurrentMember, requirePermission } from '@/lib/auth/session';
import type { Permission } from '@/lib/authz/permissions';
import { toErrorResponse } from '@/lib/errors/app-error';

/** GET route handlers for the signed-in UI: member and permission checked, reads run in `withTenant`. */
export function tenantRoute(
  permission: Permission,
  handler: (ctx: { tx: Transaction; member: CurrentMember; request: Request }) => Promise<unknown>,
) {
  return async (request: Request) => {
    try {
      const member = await requirePermission(permission);
      const body = await withTenant({ tenantId: member.tenant.id, userId: member.userId }, (tx) =>
        handler({ tx, member, request }),
      );
      return Response.json(body, { headers: { 'Cache-Control': 'private, no-store' } });
    } catch (error) {
      return toErrorResponse(error);
    }
  };
}
