import { Suspense } from 'react';
import { getCurrentMember, needsTwoFactorSetup } from '@/lib/auth/session';
import { MembershipWatcherClient } from './membership-watcher-client';

/**
 * Rendered by the tenant shell on every signed-in page: keeps the page in step with the viewer's own
 * membership. It renders nothing visible, so it streams in behind a boundary of its own and never holds the
 * shell up (nor breaks a synchronous render of it).
 */
export function MembershipWatcher() {
  return (
    <Suspense fallback={null}>
      <WatchCurrentMember />
    </Suspense>
  );
}

/**
 * The member was read by this request's session check already (a per-request cache): no query here. A member
 * who must set up two-factor sign-in first is on the set-up page, the only one they may open, and the realtime
 * server refuses them until then: the watcher would take that refusal for news and refresh the page, which
 * remounts the set-up form and drops what they were typing.
 */
async function WatchCurrentMember() {
  const member = await getCurrentMember();
  if (!member || needsTwoFactorSetup(member)) return null;
  return <MembershipWatcherClient tenantId={member.tenant.id} userId={member.userId} />;
}
