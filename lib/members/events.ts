import 'server-only';
import type { RealtimeEvent } from '@/lib/realtime/outbox';
import type { MembershipState } from './queries';

/**
 * What a membership change tells open pages. On the tenant's shared channel only ids, the role, the status
 * and the version: the member's own tab refreshes its permissions (components/members/membership-watcher.tsx)
 * and every members page its list. Never an email address, on either channel. Owners and admins also get
 * `members.changed` on their own channel, which invitations and joins use too, for the same refresh.
 */
export function membershipEvents(changed: MembershipState[]): RealtimeEvent[] {
  return changed.flatMap((m) => [
    {
      name: 'member.changed',
      payload: { userId: m.userId, role: m.role, status: m.status, version: m.version },
    },
    {
      name: 'members.changed',
      audience: 'admins' as const,
      payload: { userId: m.userId, version: m.version },
    },
  ]);
}
