import { permanentRedirect } from 'next/navigation';
import type { ReactNode } from 'react';
import { HostMoved } from '@/components/organization/host-moved';
import { Providers } from '@/components/providers';
import {
  type PublicRealtimeConfig,
  RealtimeProvider,
} from '@/components/realtime/realtime-provider';
import { currentRequestPath, hostMoveTarget } from '@/lib/auth/moved-host';
import { getEnv } from '@/lib/config/env';

function publicRealtimeConfig(): PublicRealtimeConfig | null {
  const pusher = getEnv().pusher;
  if (!pusher) return null;
  return {
    key: pusher.key,
    cluster: pusher.cluster ?? 'local',
    wsHost: pusher.browser.host ?? undefined,
    wsPort: pusher.browser.port ?? undefined,
    forceTLS: pusher.browser.useTLS,
  };
}

/**
 * Every page load on a tenant host passes here, so this is where an organization's former address sends
 * the browser on: signed out, a 308 to the same path on the new address; signed in, through a handoff of its
 * session (see HostMoved). Open tabs navigating on the client are caught by the pages themselves
 * (`requireMemberOrRedirect`), route handlers by their wrappers (lib/http).
 */
export default async function TenantLayout({ children }: { children: ReactNode }) {
  const moved = await hostMoveTarget(await currentRequestPath());
  if (moved && !moved.signedIn) permanentRedirect(moved.url);
  return (
    <Providers>
      {moved ? (
        <HostMoved
          organization={moved.move.name}
          newHost={new URL(moved.url).host}
          url={moved.url}
        />
      ) : (
        <RealtimeProvider config={publicRealtimeConfig()}>{children}</RealtimeProvider>
      )}
    </Providers>
  );
}
