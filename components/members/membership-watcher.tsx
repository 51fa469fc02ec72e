import { getCurrentMember } from '@/lib/auth/session';
import { MembershipWatcherClient } from './membership-watcher-client';

/**
 * Rendered by the tenant shell on every signed-in page: keeps the page in step with the viewer's own
 * membership. The member was read by this request's session check already (a per-request cache), so this
 * costs no query.
 */
export async function MembershipWatcher() {
  const member = await getCurrentMember();
  if (!member) return null;
  return <MembershipWatcherClient tenantId={member.tenant.id} userId={member.userId} />;
}
