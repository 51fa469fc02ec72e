'use client';

import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { useRealtimeClient } from '@/components/realtime/realtime-provider';
import { tenantAdminChannel } from '@/lib/realtime/channels';

/**
 * Keeps the invitations page current: invitation and member events arrive on the admins' channel (they
 * carry addresses, so never on the channel every member hears), and each one re-renders the page on the
 * server, which reads the list again. A reconnect does the same, for what happened while offline.
 */
export function LiveInvitations({ tenantId }: { tenantId: string }) {
  const client = useRealtimeClient();
  const router = useRouter();
  useEffect(() => {
    if (!client) return;
    const channel = client.subscribe(tenantAdminChannel(tenantId));
    let subscribed = false;
    channel.bind('pusher:subscription_succeeded', () => {
      if (subscribed) router.refresh();
      subscribed = true;
    });
    const listener = (name: string) => {
      if (name.startsWith('invitation.') || name.startsWith('member.')) router.refresh();
    };
    channel.bind_global(listener);
    return () => {
      channel.unbind_global(listener);
      client.unsubscribe(channel.name);
    };
  }, [client, tenantId, router]);
  return null;
}
