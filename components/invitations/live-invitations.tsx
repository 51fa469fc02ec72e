'use client';

import { useRouter } from 'next/navigation';
import { useChannelEvents } from '@/components/realtime/use-channel-events';
import { tenantAdminChannel } from '@/lib/realtime/channels';

const INVITATION_EVENT = /^(invitation|member)\./;

/**
 * Keeps the invitations page current: invitation and member events arrive on the admins' channel (they
 * carry addresses, so never on the channel every member hears), and each one re-renders the page on the
 * server, which reads the list again. A reconnect does the same, for what happened while offline.
 */
export function LiveInvitations({ tenantId }: { tenantId: string }) {
  const router = useRouter();
  useChannelEvents(
    tenantAdminChannel(tenantId),
    (name) => {
      if (INVITATION_EVENT.test(name)) router.refresh();
    },
    () => router.refresh(),
  );
  return null;
}
