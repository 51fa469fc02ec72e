'use client';

import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { useRealtimeClient } from '@/components/realtime/realtime-provider';
import { useTenantEvents } from '@/components/realtime/use-tenant-events';

/** pusher-js reports a connection the server closed with 4009 (unauthorized) this way, and does not retry. */
const CLOSED_AS_UNAUTHORIZED = 4009;

type ConnectionError = { error?: { data?: { code?: number } }; data?: { code?: number } };

/**
 * Re-renders the page from the server when the viewer's own membership changes, so what the page shows
 * follows their permissions without a reload (the board's "Add a task", a settings section): on
 * `member.changed` about them, and when the server drops their realtime connection (deactivated, removed,
 * signed out elsewhere, or told to set up two-factor sign-in), after which the server's answer is the sign-in
 * page or the set-up page.
 */
export function MembershipWatcherClient({
  tenantId,
  userId,
}: {
  tenantId: string;
  userId: string;
}) {
  const router = useRouter();
  useTenantEvents(tenantId, (name, data) => {
    if (name !== 'member.changed' || data.userId !== userId) return;
    // No longer a member here: every session of theirs in this organization has ended, so the sign-in page
    // is what any request would answer; going there at once saves rendering this page only to redirect.
    if (data.status !== 'active') window.location.assign('/login');
    else router.refresh();
  });
  const client = useRealtimeClient();
  useEffect(() => {
    if (!client) return;
    const onError = (e: ConnectionError) => {
      const code = e?.error?.data?.code ?? e?.data?.code;
      if (code === CLOSED_AS_UNAUTHORIZED) router.refresh();
    };
    client.connection.bind('error', onError);
    return () => {
      client.connection.unbind('error', onError);
    };
  }, [client, router]);
  return null;
}
