import { tenantRoute } from '@/lib/http/tenant-route';
import { listMyOrganizations } from '@/lib/my-organizations/list';

/**
 * The organization switcher's list, loaded when it opens. `account:manage` is every member's own account,
 * open even while their organization waits for them to set up two-factor sign-in.
 */
export const GET = tenantRoute('account:manage', async ({ tx, member }) => ({
  organizations: await listMyOrganizations(tx, {
    userId: member.userId,
    tenantId: member.tenant.id,
  }),
}));
