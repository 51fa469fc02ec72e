'use client';

import { LiveIndicator } from '@/components/realtime/live-indicator';
import { useChannelEvents } from '@/components/realtime/use-channel-events';
import { useQuietRefresh } from '@/components/realtime/use-quiet-refresh';
import { useTenantEvents } from '@/components/realtime/use-tenant-events';
import { tenantAdminChannel } from '@/lib/realtime/channels';

const MEMBER_EVENT = /^(member|members|invitation|invitations)\./;

/**
 * Keeps an open members page current: it re-renders from the server (the table is server-rendered, with its
 * search, sort and page in the URL) on `member.changed` from the tenant channel, which every member
 * receives, and for owners and admins on anything about members or invitations from their own channel. A
 * burst of events costs one refresh (useQuietRefresh).
 */
export function MembersLive({ tenantId, admin }: { tenantId: string; admin: boolean }) {
  const stale = useQuietRefresh();
  const onEvent = (name: string) => {
    if (MEMBER_EVENT.test(name)) stale();
  };
  const live = useTenantEvents(tenantId, onEvent, stale);
  useChannelEvents(admin ? tenantAdminChannel(tenantId) : null, onEvent, stale);
  return <LiveIndicator state={live} />;
}
