'use client';

import { useChannelEvents } from '@/components/realtime/use-channel-events';
import { useQuietRefresh } from '@/components/realtime/use-quiet-refresh';
import { tenantAdminChannel } from '@/lib/realtime/channels';

const INVITATION_EVENT = /^(invitation|member)\./;

/**
 * Keeps the invitations page current: invitation and member events arrive on the admins' channel (they
 * carry addresses, so never on the channel every member hears), and each burst re-renders the page on the
 * server, which reads the list again. A reconnect does the same, for what happened while offline.
 */
export function LiveInvitations({ tenantId }: { tenantId: string }) {
  const stale = useQuietRefresh();
  useChannelEvents(
    tenantAdminChannel(tenantId),
    (name) => {
      if (INVITATION_EVENT.test(name)) stale();
    },
    stale,
  );
  return null;
}
