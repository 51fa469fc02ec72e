import type { ReactNode } from 'react';
import { Providers } from '@/components/providers';
import {
  type PublicRealtimeConfig,
  RealtimeProvider,
} from '@/components/realtime/realtime-provider';
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

export default function TenantLayout({ children }: { children: ReactNode }) {
  return (
    <Providers>
      <RealtimeProvider config={publicRealtimeConfig()}>{children}</RealtimeProvider>
    </Providers>
  );
}
