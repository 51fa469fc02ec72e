'use client';

import { useRouter } from 'next/navigation';
import { useRef } from 'react';
import { LiveIndicator } from '@/components/realtime/live-indicator';
import { useChannelEvents } from '@/components/realtime/use-channel-events';
import { useTenantEvents } from '@/components/realtime/use-tenant-events';
import { tenantAdminChannel } from '@/lib/realtime/channels';

const MEMBER_EVENT = /^(member|members|invitation|invitations)\./;

/**
 * Keeps an open members page current: it re-renders from the server (the table is server-rendered, with its
 * search, sort and page in the URL) on `member.changed` from the tenant channel, which every member
 * receives, and for owners and admins on anything about members or invitations from their own channel. A
 * burst of events costs one refresh.
 */
export function MembersLive({ tenantId, admin }: { tenantId: string; admin: boolean }) {
  const router = useRouter();
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  const refresh = () => {
    if (pending.current) return;
    pending.current = setTimeout(() => {
      pending.current = null;
      router.refresh();
    }, 150);
  };
  const onEvent = (name: string) => {
    if (MEMBER_EVENT.test(name)) refresh();
  };
  const live = useTenantEvents(tenantId, onEvent, refresh);
  useChannelEvents(admin ? tenantAdminChannel(tenantId) : null, onEvent, refresh);
  return <LiveIndicator state={live} />;
}
